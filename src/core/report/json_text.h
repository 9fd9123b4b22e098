// JSON text written straight into a string, without building an nlohmann::json tree first: for
// the large outputs (the build report of a 1 MB Dockerfile) where the tree was most of the cost.
// Each value is written exactly as report::dump() (compact, error_handler_t::replace) writes the
// same value, so callers give the same bytes as dump(tree) as long as they write the members of
// every object in the order nlohmann::json keeps them (std::map: keys sorted byte-wise).
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace dfplay::report {

class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  JsonText& begin_object();
  JsonText& end_object();
  JsonText& begin_array();
  JsonText& end_array();
  // The member name of the next value (objects only).
  JsonText& key(std::string_view name);

  JsonText& value(std::string_view s);
  JsonText& value(const std::string& s) { return value(std::string_view(s)); }
  JsonText& value(const char* s) { return value(std::string_view(s)); }
  JsonText& value(bool b);
  JsonText& value(int v) { return signed_value(v); }
  JsonText& value(long v) { return signed_value(v); }
  JsonText& value(long long v) { return signed_value(v); }
  JsonText& value(unsigned v) { return unsigned_value(v); }
  JsonText& value(unsigned long v) { return unsigned_value(v); }
  JsonText& value(unsigned long long v) { return unsigned_value(v); }
  JsonText& value(double d);
  JsonText& null();
  // An array of strings or numbers, as json(vector) gives.
  template <class T>
  JsonText& array(const std::vector<T>& items) {
    begin_array();
    for (const auto& x : items) value(x);
    return end_array();
  }

 private:
  JsonText& signed_value(long long v);
  JsonText& unsigned_value(unsigned long long v);
  void separate() {
    if (comma_) out_ += ',';
    comma_ = true;
  }
  void string(std::string_view s);

  std::string& out_;
  bool comma_ = false;  // a value was written at this level: the next one needs a comma
};

}  // namespace dfplay::report
