// The exec-form test of BuildKit's parseJSON: is the text a JSON array of strings, accepted
// exactly as Go's encoding/json would (strict syntax, nesting depth <= 10000), and what are
// its elements (decoded like Go: invalid UTF-8 and lone surrogates become U+FFFD)?
// Iterative: no recursion whatever the nesting.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dfplay::syntax {

enum class JsonArrayStatus {
  NotJson,        // not a JSON array (BuildKit falls back to the shell form)
  NotAllStrings,  // valid JSON, but an element is not a string (a hard error in BuildKit)
  Ok,
};

struct JsonElement {
  uint32_t begin = 0;  // byte offsets in the text given to parse_json_array, quotes included
  uint32_t end = 0;
  bool is_string = false;
};

// `s` must start with '['. On Ok or NotAllStrings, `elements` lists the top-level elements.
JsonArrayStatus parse_json_array(std::string_view s, std::vector<JsonElement>& elements);

// Decodes one JSON string token (quotes included, already validated) like Go's unquote.
void decode_json_string(std::string_view token, std::string& out);

}  // namespace dfplay::syntax
