#include "checks/rules.h"

#include <algorithm>
#include <array>

#include "syntax/text.h"

namespace dfplay::checks {
namespace {

namespace text = dfplay::syntax::text;

// The table. Wording (description, URL, messages) is BuildKit's, see docs/checks.md.
constexpr std::array<Rule, kRuleCount> kRules{{
    {RuleId::StageNameCasing, "StageNameCasing", "Stage names should be lowercase",
     "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/", "stage-name-casing", false,
     Phase::Instruction, "Stage name '{}' should be lowercase", ""},
    {RuleId::FromAsCasing, "FromAsCasing",
     "The 'as' keyword should match the case of the 'from' keyword",
     "https://docs.docker.com/go/dockerfile/rule/from-as-casing/", "from-as-casing", false,
     Phase::Instruction, "'{}' and '{}' keywords' casing do not match", ""},
    {RuleId::NoEmptyContinuation, "NoEmptyContinuation",
     "Empty continuation lines will become errors in a future release",
     "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/", "no-empty-continuation",
     false, Phase::Parse, "Empty continuation line", ""},
    {RuleId::ConsistentInstructionCasing, "ConsistentInstructionCasing",
     "All commands within the Dockerfile should use the same casing (either upper or lower)",
     "https://docs.docker.com/go/dockerfile/rule/consistent-instruction-casing/",
     "consistent-instruction-casing", false, Phase::Stages,
     "Command '{}' should match the case of the command majority ({})", ""},
    {RuleId::DuplicateStageName, "DuplicateStageName", "Stage names should be unique",
     "https://docs.docker.com/go/dockerfile/rule/duplicate-stage-name/", "duplicate-stage-name",
     false, Phase::Stages, "Duplicate stage name {}, stage names should be unique", ""},
    {RuleId::ReservedStageName, "ReservedStageName",
     "Reserved words should not be used as stage names",
     "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/", "reserved-stage-name",
     false, Phase::Stages, "Stage name should not use the same name as reserved stage {}", ""},
    {RuleId::JSONArgsRecommended, "JSONArgsRecommended",
     "JSON arguments recommended for ENTRYPOINT/CMD to prevent unintended behavior related to OS "
     "signals",
     "https://docs.docker.com/go/dockerfile/rule/json-args-recommended/", "json-args-recommended",
     false, Phase::Dispatch,
     "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
     ""},
    {RuleId::MaintainerDeprecated, "MaintainerDeprecated",
     "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
     "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/", "maintainer-deprecated",
     false, Phase::Instruction, "Maintainer instruction is deprecated in favor of using label",
     ""},
    {RuleId::UndefinedArgInFrom, "UndefinedArgInFrom", "FROM command must use declared ARGs",
     "https://docs.docker.com/go/dockerfile/rule/undefined-arg-in-from/", "undefined-arg-in-from",
     false, Phase::StageBase, "FROM argument '{}' is not declared",
     "FROM argument '{}' is not declared (did you mean {}?)"},
    {RuleId::WorkdirRelativePath, "WorkdirRelativePath",
     "Relative workdir without an absolute workdir declared within the build can have unexpected "
     "results if the base image changes",
     "https://docs.docker.com/go/dockerfile/rule/workdir-relative-path/", "workdir-relative-path",
     false, Phase::Dispatch,
     "Relative workdir {} can have unexpected results if the base image changes", ""},
    {RuleId::UndefinedVar, "UndefinedVar", "Variables should be defined before their use",
     "https://docs.docker.com/go/dockerfile/rule/undefined-var/", "undefined-var", false,
     Phase::Dispatch, "Usage of undefined variable '${}'",
     "Usage of undefined variable '${}' (did you mean ${}?)"},
    {RuleId::MultipleInstructionsDisallowed, "MultipleInstructionsDisallowed",
     "Multiple instructions of the same type should not be used in the same stage",
     "https://docs.docker.com/go/dockerfile/rule/multiple-instructions-disallowed/",
     "multiple-instructions-disallowed", false, Phase::Dispatch,
     "Multiple {} instructions should not be used in the same stage because only the last one "
     "will be used",
     ""},
    {RuleId::LegacyKeyValueFormat, "LegacyKeyValueFormat",
     "Legacy key/value format with whitespace separator should not be used",
     "https://docs.docker.com/go/dockerfile/rule/legacy-key-value-format/",
     "legacy-key-value-format", false, Phase::Dispatch,
     "\"{} key=value\" should be used instead of legacy \"{} key value\" format", ""},
    {RuleId::InvalidBaseImagePlatform, "InvalidBaseImagePlatform",
     "Base image platform does not match expected target platform", "", "", false,
     Phase::BaseImage,
     "Base image {} was pulled with platform {}, expected {} for current build", ""},
    {RuleId::RedundantTargetPlatform, "RedundantTargetPlatform",
     "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default "
     "behavior",
     "https://docs.docker.com/go/dockerfile/rule/redundant-target-platform/",
     "redundant-target-platform", false, Phase::StageBase,
     "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
     ""},
    {RuleId::SecretsUsedInArgOrEnv, "SecretsUsedInArgOrEnv",
     "Sensitive data should not be used in the ARG or ENV commands",
     "https://docs.docker.com/go/dockerfile/rule/secrets-used-in-arg-or-env/",
     "secrets-used-in-arg-or-env", false, Phase::Dispatch,
     "Do not use ARG or ENV instructions for sensitive data ({} {})", ""},
    {RuleId::InvalidDefaultArgInFrom, "InvalidDefaultArgInFrom",
     "Default value for global ARG results in an empty or invalid base image name",
     "https://docs.docker.com/go/dockerfile/rule/invalid-default-arg-in-from/",
     "invalid-default-arg-in-from", false, Phase::Stages,
     "Default value for ARG {} results in empty or invalid base image name", ""},
    {RuleId::FromPlatformFlagConstDisallowed, "FromPlatformFlagConstDisallowed",
     "FROM --platform flag should not use a constant value",
     "https://docs.docker.com/go/dockerfile/rule/from-platform-flag-const-disallowed/",
     "from-platform-flag-const-disallowed", false, Phase::StageBase,
     "FROM --platform flag should not use constant value {}", ""},
    {RuleId::CopyIgnoredFile, "CopyIgnoredFile",
     "Attempting to Copy file that is excluded by .dockerignore",
     "https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/", "copy-ignored-file", true,
     Phase::Dispatch, "Attempting to {} file {} that is excluded by .dockerignore", ""},
    {RuleId::InvalidDefinitionDescription, "InvalidDefinitionDescription",
     "Comment for build stage or argument should follow the format: `# <arg/stage name> "
     "<description>`. If this is not intended to be a description comment, add an empty line or "
     "comment between the instruction and the comment.",
     "https://docs.docker.com/go/dockerfile/rule/invalid-definition-description/",
     "invalid-definition-description", true, Phase::Instruction,
     "Comment for {} should follow the format: `# {} <description>`", ""},
    {RuleId::ExposeProtoCasing, "ExposeProtoCasing",
     "Protocol in EXPOSE instruction should be lowercase",
     "https://docs.docker.com/go/dockerfile/rule/expose-proto-casing/", "expose-proto-casing",
     false, Phase::Dispatch, "Defined protocol '{}' in EXPOSE instruction should be lowercase",
     ""},
    {RuleId::ExposeInvalidFormat, "ExposeInvalidFormat",
     "IP address and host-port mapping should not be used in EXPOSE instruction. This will become "
     "an error in a future release",
     "https://docs.docker.com/go/dockerfile/rule/expose-invalid-format/", "expose-invalid-format",
     false, Phase::Dispatch,
     "EXPOSE instruction should not define an IP address or host-port mapping, found '{}'", ""},
}};

constexpr bool table_in_id_order() {
  for (size_t i = 0; i < kRules.size(); ++i)
    if (static_cast<size_t>(kRules[i].id) != i) return false;
  return true;
}
static_assert(table_in_id_order(), "kRules must be in RuleId order");

std::string q(std::string_view s) { return text::go_quote(s); }

template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  out.reserve((std::string_view(parts).size() + ... + 0));
  (out.append(std::string_view(parts)), ...);
  return out;
}

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }
char ascii_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c; }

// Splits on `sep` and calls fn(part) for each part (empty parts included), like strings.Split.
template <class Fn>
void for_each_part(std::string_view s, char sep, Fn&& fn) {
  size_t start = 0;
  for (;;) {
    size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      fn(s.substr(start));
      return;
    }
    fn(s.substr(start, pos - start));
    start = pos + 1;
  }
}

constexpr std::array<std::string_view, 10> kSecretTokens{
    "apikey", "auth", "credential", "credentials", "key",
    "password", "pword", "passwd", "secret", "token"};
constexpr std::array<std::string_view, 3> kAllowTokens{"public", "file", "version"};

// Folds a `_`-free segment the way Go's (?i) matching folds toward ASCII: ASCII letters to
// lower case, the Kelvin sign (U+212A) to 'k' and the long s (U+017F) to 's'. Returns false
// when the segment holds any other non-ASCII character (it can then match no token).
bool fold_segment(std::string_view seg, std::string& out) {
  out.clear();
  for (size_t i = 0; i < seg.size();) {
    auto c = static_cast<unsigned char>(seg[i]);
    if (c < 0x80) {
      out.push_back(ascii_lower(static_cast<char>(c)));
      ++i;
      continue;
    }
    text::Rune r = text::decode(seg, i);
    if (r.cp == 0x212A && r.width == 3) {
      out.push_back('k');
    } else if (r.cp == 0x17F && r.width == 2) {
      out.push_back('s');
    } else {
      return false;
    }
    i += r.width;
  }
  return true;
}

template <size_t N>
bool any_segment_in(std::string_view key, const std::array<std::string_view, N>& tokens) {
  bool found = false;
  std::string folded;
  for_each_part(key, '_', [&](std::string_view seg) {
    if (found || seg.empty()) return;
    if (!fold_segment(seg, folded)) return;
    for (auto t : tokens)
      if (folded == t) {
        found = true;
        return;
      }
  });
  return found;
}

std::vector<char32_t> runes(std::string_view s) {
  std::vector<char32_t> out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      out.push_back(c);
      ++i;
      continue;
    }
    text::Rune r = text::decode(s, i);
    out.push_back(r.cp);
    i += r.width;
  }
  return out;
}

std::string ascii_upper_str(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = ascii_upper(c);
  return out;
}

template <class Str>
std::string suggest_impl(std::string_view value, std::span<const Str> options,
                         bool case_sensitive) {
  std::string val = case_sensitive ? std::string(value) : text::to_lower(value);
  std::string match;
  size_t mindist = 3;  // like hcl: only distances 0..2 count
  std::string opt;
  for (const auto& o : options) {
    opt = case_sensitive ? std::string(std::string_view(o)) : text::to_lower(std::string_view(o));
    if (val == opt) return {};  // an exact match means the value is not a typo
    size_t d = levenshtein(val, opt, 2);
    if (d < mindist) {
      mindist = d;
      if (case_sensitive) {
        match = opt;
      } else if (value == val) {  // BuildKit's matchCase: follow the value's casing
        match = opt;
      } else if (is_uppercase(value)) {
        match = ascii_upper_str(opt);
      } else {
        match = opt;
      }
    }
  }
  return match;
}

bool path_at_or_below(std::string_view path, std::string_view base) {
  if (base.empty()) return true;
  if (path == base) return true;
  return path.size() > base.size() && path.substr(0, base.size()) == base &&
         path[base.size()] == '/';
}

// The pattern's path up to the first element holding a wildcard, and whether it has one.
std::pair<std::string_view, bool> pattern_literal_prefix(std::string_view pattern) {
  size_t start = 0;
  for (;;) {
    size_t pos = pattern.find('/', start);
    std::string_view elem =
        pattern.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start);
    if (elem.find_first_of("*?[") != std::string_view::npos) {
      // Join of the elements before this one: everything before `start`, minus the separator.
      return {start == 0 ? std::string_view{} : pattern.substr(0, start - 1), true};
    }
    if (pos == std::string_view::npos) return {pattern, false};
    start = pos + 1;
  }
}

}  // namespace

std::span<const Rule> rules() { return kRules; }

const Rule& rule(RuleId id) { return kRules[static_cast<size_t>(id)]; }

const Rule* find_rule(std::string_view name) {
  for (const auto& r : kRules)
    if (r.name == name) return &r;
  return nullptr;
}

std::string diagnostic_code(RuleId id) { return cat("check/", rule(id).name); }

std::string docs_page_url(RuleId id) {
  const Rule& r = rule(id);
  if (r.slug.empty()) return {};
  return cat("https://docs.docker.com/reference/build-checks/", r.slug, "/");
}

// ---- messages ------------------------------------------------------------------------------

std::string msg_stage_name_casing(std::string_view stage_name) {
  return cat("Stage name '", stage_name, "' should be lowercase");
}

std::string msg_from_as_casing(std::string_view from_keyword, std::string_view as_keyword) {
  return cat("'", as_keyword, "' and '", from_keyword, "' keywords' casing do not match");
}

std::string msg_no_empty_continuation() { return "Empty continuation line"; }

std::string msg_consistent_instruction_casing(std::string_view keyword, bool majority_lower) {
  return cat("Command '", keyword, "' should match the case of the command majority (",
             majority_lower ? "lowercase" : "uppercase", ")");
}

std::string msg_duplicate_stage_name(std::string_view stage_name) {
  return cat("Duplicate stage name ", q(stage_name), ", stage names should be unique");
}

std::string msg_reserved_stage_name(std::string_view stage_name) {
  return cat("Stage name should not use the same name as reserved stage ", q(stage_name));
}

std::string msg_json_args_recommended(std::string_view keyword) {
  return cat("JSON arguments recommended for ", keyword,
             " to prevent unintended behavior related to OS signals");
}

std::string msg_maintainer_deprecated() {
  return "Maintainer instruction is deprecated in favor of using label";
}

std::string msg_undefined_arg_in_from(std::string_view arg, std::string_view suggestion) {
  std::string out = cat("FROM argument '", arg, "' is not declared");
  if (!suggestion.empty()) out += cat(" (did you mean ", suggestion, "?)");
  return out;
}

std::string msg_workdir_relative_path(std::string_view workdir) {
  return cat("Relative workdir ", q(workdir),
             " can have unexpected results if the base image changes");
}

std::string msg_undefined_var(std::string_view var, std::string_view suggestion) {
  std::string out = cat("Usage of undefined variable '$", var, "'");
  if (!suggestion.empty()) out += cat(" (did you mean $", suggestion, "?)");
  return out;
}

std::string msg_multiple_instructions_disallowed(std::string_view keyword) {
  return cat("Multiple ", keyword,
             " instructions should not be used in the same stage because only the last one will "
             "be used");
}

std::string msg_legacy_key_value_format(std::string_view keyword) {
  return cat("\"", keyword, " key=value\" should be used instead of legacy \"", keyword,
             " key value\" format");
}

std::string msg_invalid_base_image_platform(std::string_view image, std::string_view expected,
                                            std::string_view actual) {
  return cat("Base image ", image, " was pulled with platform ", q(actual), ", expected ",
             q(expected), " for current build");
}

std::string msg_redundant_target_platform(std::string_view platform_expr) {
  return cat("Setting platform to predefined ", platform_expr,
             " in FROM is redundant as this is the default behavior");
}

std::string msg_secrets_used_in_arg_or_env(std::string_view instruction, std::string_view key) {
  return cat("Do not use ARG or ENV instructions for sensitive data (", instruction, " ", q(key),
             ")");
}

std::string msg_invalid_default_arg_in_from(std::string_view base_name) {
  return cat("Default value for ARG ", base_name,
             " results in empty or invalid base image name");
}

std::string msg_from_platform_flag_const_disallowed(std::string_view platform) {
  return cat("FROM --platform flag should not use constant value ", q(platform));
}

std::string msg_copy_ignored_file(bool is_add, std::string_view path) {
  return cat("Attempting to ", is_add ? "Add" : "Copy", " file ", q(path),
             " that is excluded by .dockerignore");
}

std::string msg_invalid_definition_description(std::string_view instruction,
                                               std::string_view example_key) {
  return cat("Comment for ", instruction, " should follow the format: `# ", example_key,
             " <description>`");
}

std::string msg_expose_proto_casing(std::string_view port_spec) {
  return cat("Defined protocol '", port_spec, "' in EXPOSE instruction should be lowercase");
}

std::string msg_expose_invalid_format(std::string_view port_spec) {
  return cat("EXPOSE instruction should not define an IP address or host-port mapping, found '",
             port_spec, "'");
}

std::string msg_lint_violation(std::span<const RuleId> rules_with_warnings) {
  std::string out = "lint violation found for rules: ";
  std::array<bool, kRuleCount> seen{};
  bool first = true;
  for (RuleId id : rules_with_warnings) {
    auto i = static_cast<size_t>(id);
    if (i >= kRuleCount || seen[i]) continue;
    seen[i] = true;
    if (!first) out += ", ";
    out += kRules[i].name;
    first = false;
  }
  return out;
}

std::string format_short(std::string_view rule_name, std::string_view message, uint32_t line) {
  std::string out = cat(rule_name, ": ", message);
  if (line > 0) out += cat(" (line ", std::to_string(line), ")");
  return out;
}

// ---- trigger helpers -----------------------------------------------------------------------

bool is_lowercase(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  // Non-ASCII: Go's strings.ToLower may change it (e.g. "É"); compare exactly.
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return text::to_lower(s) == s;
  return true;
}

bool is_uppercase(std::string_view s) {
  for (char c : s)
    if (c >= 'a' && c <= 'z') return false;
  return true;
}

bool stage_name_not_lowercase(std::string_view stage_name) { return !is_lowercase(stage_name); }

bool from_as_casing_mismatch(std::string_view from_keyword, std::string_view as_keyword) {
  bool lower = is_lowercase(from_keyword);
  bool upper = is_uppercase(from_keyword);
  if (!lower && !upper) return false;  // ConsistentInstructionCasing's business
  if (lower) return !is_lowercase(as_keyword);
  return !is_uppercase(as_keyword);
}

void CasingMajority::add(std::string_view keyword) {
  if (is_lowercase(keyword)) {
    ++lower_;
  } else if (is_uppercase(keyword)) {
    ++upper_;
  }
}

std::optional<std::string> CasingMajority::check(std::string_view keyword) const {
  bool lower = majority_lower();
  if (lower ? is_lowercase(keyword) : is_uppercase(keyword)) return std::nullopt;
  return msg_consistent_instruction_casing(keyword, lower);
}

bool is_reserved_stage_name(std::string_view stage_name) {
  return stage_name == "scratch" || stage_name == "context";
}

bool is_secret_key(std::string_view key) {
  return any_segment_in(key, kSecretTokens) && !any_segment_in(key, kAllowTokens);
}

std::span<const std::string_view> secret_tokens() { return kSecretTokens; }
std::span<const std::string_view> secret_allow_tokens() { return kAllowTokens; }

namespace {

// The banded distance over two sequences of characters (bytes when both texts are ASCII, code
// points otherwise). The two rows live on the stack for short texts: UndefinedVar asks for a
// suggestion per undefined name against every name in effect (thousands of calls in a big file).
template <class Seq>
size_t banded_levenshtein(const Seq& ra, const Seq& rb, size_t limit) {
  const size_t over = limit + 1;
  const size_t n = ra.size(), m = rb.size();
  if ((n > m ? n - m : m - n) > limit) return over;
  constexpr size_t kStack = 64;
  size_t stack[2 * (kStack + 1)];
  std::vector<size_t> heap;
  size_t* prev = stack;
  size_t* cur = stack + kStack + 1;
  if (m > kStack) {
    heap.resize(2 * (m + 1));
    prev = heap.data();
    cur = heap.data() + m + 1;
  }
  std::fill(prev, prev + m + 1, over);
  std::fill(cur, cur + m + 1, over);
  // Banded dynamic programming: only cells with |i - j| <= limit can hold a value <= limit.
  for (size_t j = 0; j <= std::min(m, limit); ++j) prev[j] = j;
  for (size_t i = 1; i <= n; ++i) {
    const size_t lo = i > limit ? i - limit : 0;
    const size_t hi = std::min(m, i + limit);
    // Only the band is written; its two neighbours must read as "too far".
    if (lo > 0) cur[lo - 1] = over;
    if (hi + 1 <= m) cur[hi + 1] = over;
    size_t row_min = over;
    if (lo == 0) {
      cur[0] = i <= limit ? i : over;
      row_min = cur[0];
    }
    for (size_t j = std::max<size_t>(1, lo); j <= hi; ++j) {
      size_t v = prev[j - 1] + (ra[i - 1] == rb[j - 1] ? 0 : 1);
      v = std::min(v, prev[j] + 1);
      v = std::min(v, cur[j - 1] + 1);
      cur[j] = std::min(v, over);
      row_min = std::min(row_min, cur[j]);
    }
    if (row_min >= over) return over;
    std::swap(prev, cur);
  }
  return std::min(prev[m], over);
}

bool all_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

}  // namespace

size_t levenshtein(std::string_view a, std::string_view b, size_t limit) {
  if (all_ascii(a) && all_ascii(b)) return banded_levenshtein(a, b, limit);
  return banded_levenshtein(runes(a), runes(b), limit);
}

std::string suggest(std::string_view value, std::span<const std::string> options,
                    bool case_sensitive) {
  return suggest_impl(value, options, case_sensitive);
}

std::string suggest(std::string_view value, std::span<const std::string_view> options,
                    bool case_sensitive) {
  return suggest_impl(value, options, case_sensitive);
}

std::optional<std::string> check_definition_description(std::string_view instruction,
                                                         std::span<const std::string> keys,
                                                         std::span<const std::string> comments) {
  if (comments.empty() || keys.empty()) return std::nullopt;
  std::string_view last = comments.back();
  std::string_view first_word = last.substr(0, last.find(' '));
  for (const auto& k : keys)
    if (k == first_word) return std::nullopt;
  std::string_view example = keys.size() > 1 ? std::string_view("<arg_key>") : keys[0];
  return msg_invalid_definition_description(instruction, example);
}

ExposeSpecLint lint_expose_spec(std::string_view spec) {
  // [ip:]host:container with the ip possibly holding ':' (IPv6): the last part is the
  // container port, the one before it the host port, everything before those the IP.
  std::string_view ip, host, container;
  size_t last = spec.rfind(':');
  if (last == std::string_view::npos) {
    container = spec;
  } else {
    container = spec.substr(last + 1);
    std::string_view rest = spec.substr(0, last);
    size_t prev = rest.rfind(':');
    if (prev == std::string_view::npos) {
      host = rest;
    } else {
      host = rest.substr(prev + 1);
      ip = rest.substr(0, prev);
    }
  }
  ExposeSpecLint out;
  size_t slash = container.find('/');
  std::string_view port = container.substr(0, slash);
  std::string_view proto =
      slash == std::string_view::npos ? std::string_view{} : container.substr(slash + 1);
  if (port.empty()) return out;  // "no port specified"
  std::string lower(proto);
  for (auto& c : lower) c = ascii_lower(c);
  // Go's strings.ToLower is Unicode-aware, but only ASCII spellings can equal tcp/udp/sctp
  // (no non-ASCII character lowercases to an ASCII letter among t, c, p, u, d, s... except the
  // Kelvin sign to 'k', which none of them contains).
  if (!(lower.empty() || lower == "tcp" || lower == "udp" || lower == "sctp")) return out;
  out.lintable = true;
  out.proto_casing = !proto.empty() && lower != proto;
  out.invalid_format = !ip.empty() || !host.empty();
  return out;
}

bool copy_source_root_ignored(std::span<const IgnorePattern> patterns) {
  for (const auto& p : patterns) {
    if (p.exclusion) continue;
    if (p.pattern == "*" || p.pattern == "**" || p.pattern == "**/*") return true;
  }
  return false;
}

bool copy_source_negated(std::span<const IgnorePattern> patterns, std::string_view cleaned_src) {
  std::string_view src = cleaned_src;
  if (!src.empty() && src[0] == '/') src.remove_prefix(1);
  if (src == ".") src = {};
  for (const auto& p : patterns) {
    if (!p.exclusion) continue;
    auto [prefix, wildcard] = pattern_literal_prefix(p.pattern);
    if (path_at_or_below(prefix, src)) return true;
    if (wildcard && path_at_or_below(src, prefix)) return true;
  }
  return false;
}

}  // namespace dfplay::checks
