#include "syntax/json_array.h"

#include "syntax/text.h"

namespace dfplay::syntax {
namespace {

constexpr size_t kMaxDepth = 10000;  // Go's encoding/json maxNestingDepth

bool is_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return c - 'A' + 10;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Scans a string token starting at s[i] == '"'. Returns the index after the closing quote,
// or npos when invalid.
size_t scan_string(std::string_view s, size_t i) {
  size_t n = s.size();
  ++i;
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '"') return i + 1;
    if (c < 0x20) return std::string_view::npos;
    if (c == '\\') {
      if (i + 1 >= n) return std::string_view::npos;
      char e = s[i + 1];
      if (e == 'u') {
        if (i + 6 > n) return std::string_view::npos;
        for (size_t k = 2; k < 6; ++k)
          if (!is_hex(s[i + k])) return std::string_view::npos;
        i += 6;
        continue;
      }
      if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
          e != 't')
        return std::string_view::npos;
      i += 2;
      continue;
    }
    ++i;
  }
  return std::string_view::npos;
}

size_t scan_number(std::string_view s, size_t i) {
  size_t n = s.size();
  if (s[i] == '-') ++i;
  if (i >= n) return std::string_view::npos;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && is_digit(s[i])) ++i;
  } else {
    return std::string_view::npos;
  }
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !is_digit(s[i])) return std::string_view::npos;
    while (i < n && is_digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !is_digit(s[i])) return std::string_view::npos;
    while (i < n && is_digit(s[i])) ++i;
  }
  return i;
}

int get_u4(std::string_view s, size_t i) {
  if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
  int v = 0;
  for (size_t k = 2; k < 6; ++k) {
    if (!is_hex(s[i + k])) return -1;
    v = v * 16 + hex_val(s[i + k]);
  }
  return v;
}

}  // namespace

JsonArrayStatus parse_json_array(std::string_view s, std::vector<JsonElement>& elements) {
  elements.clear();
  enum State { Value, ArrFirst, After, ObjFirst, ObjKey, Colon };
  std::vector<bool> stack;  // true = array, false = object
  bool all_strings = true;
  size_t i = 0, n = s.size();
  State state = Value;
  auto ws = [&] {
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
  };
  for (;;) {
    ws();
    switch (state) {
      case Value:
      case ArrFirst: {
        if (i >= n) return JsonArrayStatus::NotJson;
        char c = s[i];
        if (state == ArrFirst && c == ']') {
          ++i;
          stack.pop_back();
          if (stack.size() == 1 && !elements.empty()) elements.back().end = static_cast<uint32_t>(i);
          state = After;
          break;
        }
        bool top_element = stack.size() == 1;
        size_t begin = i;
        if (c == '[' || c == '{') {
          if (stack.size() >= kMaxDepth) return JsonArrayStatus::NotJson;
          stack.push_back(c == '[');
          ++i;
          state = c == '[' ? ArrFirst : ObjFirst;
          if (top_element) {
            all_strings = false;
            elements.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(begin), false});
          }
          break;
        }
        size_t end;
        if (c == '"') end = scan_string(s, i);
        else if (c == '-' || is_digit(c)) end = scan_number(s, i);
        else if (s.substr(i, 4) == "true") end = i + 4;
        else if (s.substr(i, 5) == "false") end = i + 5;
        else if (s.substr(i, 4) == "null") end = i + 4;
        else return JsonArrayStatus::NotJson;
        if (end == std::string_view::npos) return JsonArrayStatus::NotJson;
        if (top_element) {
          if (c != '"') all_strings = false;
          elements.push_back({static_cast<uint32_t>(begin), static_cast<uint32_t>(end), c == '"'});
        }
        i = end;
        state = After;
        break;
      }
      case After: {
        if (stack.empty()) return i == n ? (all_strings ? JsonArrayStatus::Ok : JsonArrayStatus::NotAllStrings)
                                         : JsonArrayStatus::NotJson;
        if (i >= n) return JsonArrayStatus::NotJson;
        char c = s[i++];
        if (stack.back()) {
          if (c == ',') state = Value;
          else if (c == ']') stack.pop_back();
          else return JsonArrayStatus::NotJson;
        } else {
          if (c == ',') state = ObjKey;
          else if (c == '}') stack.pop_back();
          else return JsonArrayStatus::NotJson;
        }
        // A closed nested container ends the element that began at its opening bracket.
        if (stack.size() == 1 && c != ',' && !elements.empty())
          elements.back().end = static_cast<uint32_t>(i);
        break;
      }
      case ObjFirst:
      case ObjKey: {
        if (i >= n) return JsonArrayStatus::NotJson;
        if (state == ObjFirst && s[i] == '}') {
          ++i;
          stack.pop_back();
          if (stack.size() == 1 && !elements.empty()) elements.back().end = static_cast<uint32_t>(i);
          state = After;
          break;
        }
        if (s[i] != '"') return JsonArrayStatus::NotJson;
        size_t end = scan_string(s, i);
        if (end == std::string_view::npos) return JsonArrayStatus::NotJson;
        i = end;
        state = Colon;
        break;
      }
      case Colon:
        if (i >= n || s[i] != ':') return JsonArrayStatus::NotJson;
        ++i;
        state = Value;
        break;
    }
  }
}

void decode_json_string(std::string_view token, std::string& out) {
  out.clear();
  std::string_view s = token.substr(1, token.size() - 2);
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == '\\') {
      char e = s[i + 1];
      switch (e) {
        case 'b': out.push_back('\b'); i += 2; continue;
        case 'f': out.push_back('\f'); i += 2; continue;
        case 'n': out.push_back('\n'); i += 2; continue;
        case 'r': out.push_back('\r'); i += 2; continue;
        case 't': out.push_back('\t'); i += 2; continue;
        case 'u': {
          int r = get_u4(s, i);
          i += 6;
          if (r >= 0xD800 && r < 0xE000) {
            int r2 = get_u4(s, i);
            if (r < 0xDC00 && r2 >= 0xDC00 && r2 < 0xE000) {
              i += 6;
              text::append_rune(out, 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00));
              continue;
            }
            r = 0xFFFD;
          }
          text::append_rune(out, static_cast<char32_t>(r));
          continue;
        }
        default: out.push_back(e); i += 2; continue;  // " \ /
      }
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
      ++i;
      continue;
    }
    text::Rune r = text::decode(s, i);
    if (r.width == 1) text::append_rune(out, text::kRuneError);
    else out.append(s.data() + i, r.width);
    i += r.width;
  }
}

}  // namespace dfplay::syntax
