#include "checks/directive.h"

#include <algorithm>

#include "syntax/text.h"

namespace dfplay::checks {
namespace {

namespace text = dfplay::syntax::text;

bool contains(const std::vector<std::string>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// `all`, or a comma-separated list with each name trimmed.
void parse_name_list(std::string_view value, bool& all, std::vector<std::string>& names) {
  value = text::trim(value);
  if (value == "all") {
    all = true;
    return;
  }
  names.clear();
  size_t start = 0;
  for (;;) {
    size_t comma = value.find(',', start);
    std::string_view item = value.substr(
        start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    names.emplace_back(text::trim(item));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
}

// Go's strconv.ParseBool.
std::optional<bool> parse_bool(std::string_view s) {
  if (s == "1" || s == "t" || s == "T" || s == "TRUE" || s == "true" || s == "True") return true;
  if (s == "0" || s == "f" || s == "F" || s == "FALSE" || s == "false" || s == "False")
    return false;
  return std::nullopt;
}

}  // namespace

bool CheckConfig::runs(RuleId id) const {
  const Rule& r = rule(id);
  if (r.experimental) return experimental_all || contains(experimental, r.name);
  return !(skip_all || contains(skip, r.name));
}

std::optional<CheckConfig> comment_check_config(const std::vector<std::string>& comments) {
  for (const std::string& comment : comments) {
    // The directive's shape, `name = value`, on the comment's text (after '#', trimmed).
    std::string_view r = comment;
    size_t i = 0;
    auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    auto digit = [](char c) { return c >= '0' && c <= '9'; };
    if (r.empty() || !alpha(r[0])) continue;
    while (i < r.size() && (alpha(r[i]) || digit(r[i]))) ++i;
    std::string name(r.substr(0, i));
    for (char& c : name) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (name != "check") continue;
    std::string_view rest = text::trim(r.substr(i));
    if (rest.empty() || rest[0] != '=') continue;
    std::string_view value = text::trim(rest.substr(1));
    if (value.empty()) continue;
    CheckOptionsResult parsed = parse_check_options(effective_directive_value(value));
    if (!parsed.ok()) return std::nullopt;
    return parsed.config;
  }
  return std::nullopt;
}

CheckConfig merge_check_config(const CheckConfig& base, const CheckConfig& extra) {
  CheckConfig c = base;
  c.skip_all = c.skip_all || extra.skip_all;
  c.skip.insert(c.skip.end(), extra.skip.begin(), extra.skip.end());
  c.experimental_all = c.experimental_all || extra.experimental_all;
  c.experimental.insert(c.experimental.end(), extra.experimental.begin(), extra.experimental.end());
  return c;
}

CheckOptionsResult parse_check_options(std::string_view input) {
  CheckOptionsResult res;
  std::string_view s = text::trim(input);
  if (s.empty()) return res;

  // strings.SplitN(s, ";", 3): the third part keeps any further ';'.
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 2) {
    size_t semi = s.find(';', start);
    if (semi == std::string_view::npos) break;
    parts.push_back(s.substr(start, semi - start));
    start = semi + 1;
  }
  parts.push_back(s.substr(start));

  CheckConfig& c = res.config;
  for (std::string_view part : parts) {
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      res.error = "invalid check option " + text::go_quote(part);
      res.config = CheckConfig{};
      return res;
    }
    std::string_view key = text::trim(part.substr(0, eq));
    std::string_view value = part.substr(eq + 1);
    if (key == "skip") {
      parse_name_list(value, c.skip_all, c.skip);
    } else if (key == "experimental") {
      parse_name_list(value, c.experimental_all, c.experimental);
    } else if (key == "error") {
      std::string_view v = text::trim(value);
      auto b = parse_bool(v);
      if (!b) {
        res.error = "failed to parse check option " + text::go_quote(part) +
                    ": strconv.ParseBool: parsing " + text::go_quote(v) + ": invalid syntax";
        res.config = CheckConfig{};
        return res;
      }
      c.error = *b;
    } else {
      res.error = "invalid check option " + text::go_quote(key);
      res.config = CheckConfig{};
      return res;
    }
  }
  return res;
}

std::string_view effective_directive_value(std::string_view directive_value) {
  return directive_value.substr(0, directive_value.find(' '));
}

ResolvedCheckConfig resolve_check_config(std::optional<std::string_view> directive_value,
                                         Range directive_range,
                                         std::optional<std::string_view> build_arg_value) {
  ResolvedCheckConfig out;
  std::string prefix;
  Range range{};
  CheckOptionsResult parsed;
  if (build_arg_value) {
    out.source = CheckConfigSource::BuildArg;
    prefix = "failed to parse build-arg:BUILDKIT_DOCKERFILE_CHECK: ";
    parsed = parse_check_options(*build_arg_value);
  } else if (directive_value) {
    out.source = CheckConfigSource::Directive;
    prefix = "failed to parse check options: ";
    range = directive_range;
    parsed = parse_check_options(effective_directive_value(*directive_value));
  } else {
    return out;
  }
  if (!parsed.ok()) {
    out.diagnostic =
        Diagnostic{Severity::Error, range, "check/invalid-options", prefix + parsed.error};
    return out;
  }
  out.config = std::move(parsed.config);
  return out;
}

}  // namespace dfplay::checks
