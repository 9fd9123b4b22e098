// JSON rendering of pipeline results. The CLI's --json, the JS API and window.dfplay.state()
// all use these functions, so the three front ends print the same shapes (schemas in docs/).
#pragma once
#include <nlohmann/json.hpp>

#include "analysis.h"

namespace dfplay::report {

nlohmann::json to_json(const Diagnostic& d);
nlohmann::json to_json(const Range& r);
nlohmann::json analysis_json(const Analysis& a);

// JSON text of j (indent < 0: compact). Text is text: bytes that are not valid UTF-8 (a Latin-1
// comment, a binary context file) are written as U+FFFD instead of throwing, as every front end
// must (nlohmann's default dump throws type_error 316 on them).
std::string dump(const nlohmann::json& j, int indent = -1);

}  // namespace dfplay::report
