#include "report/json_text.h"

#include <charconv>
#include <cmath>

#include <nlohmann/json.hpp>

#include "report/json.h"

namespace dfplay::report {

JsonText& JsonText::begin_object() {
  separate();
  out_ += '{';
  comma_ = false;
  return *this;
}

JsonText& JsonText::end_object() {
  out_ += '}';
  comma_ = true;
  return *this;
}

JsonText& JsonText::begin_array() {
  separate();
  out_ += '[';
  comma_ = false;
  return *this;
}

JsonText& JsonText::end_array() {
  out_ += ']';
  comma_ = true;
  return *this;
}

JsonText& JsonText::key(std::string_view name) {
  separate();
  string(name);
  out_ += ':';
  comma_ = false;  // the member's value follows without a comma
  return *this;
}

JsonText& JsonText::value(std::string_view s) {
  separate();
  string(s);
  return *this;
}

JsonText& JsonText::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

JsonText& JsonText::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonText& JsonText::signed_value(long long v) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonText& JsonText::unsigned_value(unsigned long long v) {
  separate();
  char buf[24];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  out_.append(buf, r.ptr);
  return *this;
}

JsonText& JsonText::value(double d) {
  separate();
  if (!std::isfinite(d)) {  // as nlohmann's serializer: NaN and infinities are written as null
    out_ += "null";
    return *this;
  }
  char buf[64];  // the serializer's own number buffer size
  char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, d);
  out_.append(buf, end);
  return *this;
}

// ASCII text is escaped here as the serializer escapes it; a string with any other byte goes
// through the serializer itself (its UTF-8 check replaces invalid bytes with U+FFFD), so the
// rare non-ASCII string costs a copy but is always written the same way as dump() writes it.
namespace {
// The bytes a string cannot copy as they are: control characters, '"', '\\', and non-ASCII.
struct Special {
  bool at[256] = {};
  constexpr Special() {
    for (int c = 0; c < 256; ++c) at[c] = c < 0x20 || c >= 0x80 || c == '"' || c == '\\';
  }
};
constexpr Special kSpecial;
}  // namespace

void JsonText::string(std::string_view s) {
  const size_t start = out_.size();
  out_ += '"';
  size_t from = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (!kSpecial.at[c]) continue;
    if (c >= 0x80) {
      out_.resize(start);
      out_ += dump(nlohmann::json(std::string(s)));
      return;
    }
    out_.append(s.data() + from, i - from);
    from = i + 1;
    switch (c) {
      case '"': out_ += "\\\""; break;
      case '\\': out_ += "\\\\"; break;
      case '\b': out_ += "\\b"; break;
      case '\t': out_ += "\\t"; break;
      case '\n': out_ += "\\n"; break;
      case '\f': out_ += "\\f"; break;
      case '\r': out_ += "\\r"; break;
      default: {  // the other control characters: \u00XX, lower-case hex
        static constexpr char hex[] = "0123456789abcdef";
        const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out_.append(u, sizeof u);
      }
    }
  }
  out_.append(s.data() + from, s.size() - from);
  out_ += '"';
}

}  // namespace dfplay::report
