// Validates the build-check corpus in tests/checks/ (format: tests/checks/README.md): every rule
// has trigger and clean cases, every sidecar is well formed, every expected message fits its
// rule's template, every expected finding is enabled by the file's check configuration, and
// configuration errors and lint-violation errors are the ones checks/directive.h produces.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "checks/directive.h"
#include "checks/rules.h"

namespace fs = std::filesystem;
using namespace dfplay;
using namespace dfplay::checks;
using nlohmann::json;

namespace {

fs::path corpus_dir() { return fs::path(DFPLAY_SOURCE_DIR) / "tests" / "checks"; }

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "{}" in a template matches any text.
bool template_matches(std::string_view tmpl, std::string_view msg) {
  size_t star = tmpl.find("{}");
  if (star == std::string_view::npos) return tmpl == msg;
  std::string_view head = tmpl.substr(0, star);
  if (!starts_with(msg, head)) return false;
  std::string_view rest = tmpl.substr(star + 2);
  for (size_t i = head.size(); i <= msg.size(); ++i)
    if (template_matches(rest, msg.substr(i))) return true;
  return false;
}

size_t count_lines(const std::string& text) {
  size_t n = static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
  if (!text.empty() && text.back() != '\n') ++n;
  return n;
}

// The `check` directive at the top of a Dockerfile, by the parser-directive rules (enough for
// the corpus: no BOM, no shebang). Returns the raw value.
std::optional<std::string> check_directive(const std::string& text) {
  static const std::regex re(R"(^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$)");
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (!std::regex_match(line, m, re)) break;
    std::string name = m[1].str();
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (name != "check" && name != "syntax" && name != "escape") break;
    if (name == "check") return m[2].str();
  }
  return std::nullopt;
}

struct Case {
  std::string folder;
  std::string stem;
  fs::path dockerfile;
};

std::vector<Case> all_cases() {
  std::vector<Case> out;
  if (!fs::is_directory(corpus_dir())) return out;
  for (const auto& dir : fs::directory_iterator(corpus_dir())) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::string name = f.path().filename().string();
      if (f.is_regular_file() && ends_with(name, ".Dockerfile"))
        out.push_back({dir.path().filename().string(),
                       name.substr(0, name.size() - std::string_view(".Dockerfile").size()),
                       f.path()});
    }
  }
  std::sort(out.begin(), out.end(), [](const Case& a, const Case& b) {
    return std::tie(a.folder, a.stem) < std::tie(b.folder, b.stem);
  });
  return out;
}

bool valid_platform(const std::string& p) {
  static const std::regex re(R"(^[a-z0-9]+/[a-z0-9_]+(/[a-z0-9]+)?$)");
  return std::regex_match(p, re);
}

}  // namespace

TEST_CASE("check corpus: every rule has trigger and clean cases") {
  REQUIRE(fs::is_directory(corpus_dir()));
  auto cases = all_cases();
  std::map<std::string, std::pair<int, int>> counts;  // folder -> (triggers, cleans)
  for (const auto& c : cases) {
    if (starts_with(c.stem, "trigger")) ++counts[c.folder].first;
    if (starts_with(c.stem, "clean")) ++counts[c.folder].second;
  }
  for (const auto& r : rules()) {
    CAPTURE(r.name);
    CHECK(fs::is_directory(corpus_dir() / std::string(r.name)));
    CHECK(counts[std::string(r.name)].first >= 1);
    CHECK(counts[std::string(r.name)].second >= 1);
  }
  CHECK(fs::is_directory(corpus_dir() / "CheckDirective"));
  CHECK(fs::is_regular_file(corpus_dir() / "README.md"));
  // No stray folders or files.
  for (const auto& e : fs::directory_iterator(corpus_dir())) {
    std::string name = e.path().filename().string();
    CAPTURE(name);
    if (e.is_directory())
      CHECK((find_rule(name) != nullptr || name == "CheckDirective"));
    else
      CHECK(name == "README.md");
  }
  MESSAGE(cases.size() << " corpus cases");
}

TEST_CASE("check corpus: sidecars are well formed") {
  auto cases = all_cases();
  REQUIRE(!cases.empty());
  size_t findings_total = 0;
  for (const auto& dir : fs::directory_iterator(corpus_dir())) {
    if (!dir.is_directory()) continue;
    for (const auto& f : fs::directory_iterator(dir.path())) {
      std::string name = f.path().filename().string();
      CAPTURE(f.path().string());
      std::string stem;
      for (std::string_view ext :
           {".Dockerfile", ".expect.json", ".options.json", ".outcome.json", ".context"}) {
        if (ends_with(name, ext)) {
          stem = name.substr(0, name.size() - ext.size());
          break;
        }
      }
      CHECK_MESSAGE(!stem.empty(), "unexpected file");
      if (stem.empty()) continue;
      CHECK(fs::is_regular_file(dir.path() / (stem + ".Dockerfile")));
      CHECK(f.is_directory() == ends_with(name, ".context"));
    }
  }

  for (const auto& c : cases) {
    CAPTURE(c.folder);
    CAPTURE(c.stem);
    const fs::path base = c.dockerfile.parent_path();
    const std::string text = read_all(c.dockerfile);
    const size_t lines = count_lines(text);
    CHECK(lines >= 1);

    // options.json
    json options = json::object();
    if (fs::exists(base / (c.stem + ".options.json"))) {
      options = json::parse(read_all(base / (c.stem + ".options.json")));
      REQUIRE(options.is_object());
      for (auto& [k, v] : options.items()) {
        const auto& k_ = k;  // clang 14: a structured binding cannot be captured
        CAPTURE(k_);
        if (k == "build_args") {
          REQUIRE(v.is_object());
          for (auto& [ak, av] : v.items()) CHECK(av.is_string());
        } else if (k == "target_platform" || k == "build_platform") {
          REQUIRE(v.is_string());
          CHECK(valid_platform(v.get<std::string>()));
        } else if (k == "images") {
          REQUIRE(v.is_object());
          for (auto& [img, spec] : v.items()) {
            REQUIRE(spec.is_object());
            for (auto& [sk, sv] : spec.items()) {
              const auto& sk_ = sk;  // clang 14: a structured binding cannot be captured
              CAPTURE(sk_);
              if (sk == "platforms") {
                REQUIRE(sv.is_array());
                CHECK(!sv.empty());
                for (auto& p : sv) CHECK((p.is_string() && valid_platform(p.get<std::string>())));
              } else if (sk == "env" || sk == "shell") {
                REQUIRE(sv.is_array());
                for (auto& e : sv) CHECK(e.is_string());
              } else if (sk == "workdir") {
                CHECK(sv.is_string());
              } else {
                FAIL_CHECK("unknown image key");
              }
            }
          }
        } else {
          FAIL_CHECK("unknown option");
        }
      }
    }

    // context
    if (fs::exists(base / (c.stem + ".context")))
      CHECK(fs::is_regular_file(base / (c.stem + ".context") / ".dockerignore"));

    // The check configuration this case runs with.
    std::optional<std::string> directive = check_directive(text);
    std::optional<std::string> build_arg;
    if (options.contains("build_args") && options["build_args"].contains("BUILDKIT_DOCKERFILE_CHECK"))
      build_arg = options["build_args"]["BUILDKIT_DOCKERFILE_CHECK"].get<std::string>();
    auto resolved = resolve_check_config(
        directive ? std::optional<std::string_view>(*directive) : std::nullopt, Range{},
        build_arg ? std::optional<std::string_view>(*build_arg) : std::nullopt);

    // expect.json
    const fs::path expect_path = base / (c.stem + ".expect.json");
    REQUIRE(fs::is_regular_file(expect_path));
    json expect = json::parse(read_all(expect_path));
    REQUIRE(expect.is_array());
    findings_total += expect.size();
    std::vector<RuleId> fired;
    std::pair<int64_t, std::string> prev{0, ""};
    for (const auto& f : expect) {
      REQUIRE(f.is_object());
      CHECK(f.size() == 3);
      REQUIRE(f.contains("rule"));
      REQUIRE(f.contains("line"));
      REQUIRE(f.contains("message"));
      REQUIRE(f["rule"].is_string());
      REQUIRE(f["line"].is_number_integer());
      REQUIRE(f["message"].is_string());
      const std::string rule_name = f["rule"].get<std::string>();
      const int64_t line = f["line"].get<int64_t>();
      const std::string msg = f["message"].get<std::string>();
      CAPTURE(rule_name);
      CAPTURE(msg);
      const Rule* r = find_rule(rule_name);
      REQUIRE(r != nullptr);
      CHECK(line >= 1);
      CHECK(static_cast<size_t>(line) <= lines);
      CHECK((template_matches(r->message_format, msg) ||
             (!r->message_format_suggest.empty() &&
              template_matches(r->message_format_suggest, msg))));
      std::pair<int64_t, std::string> cur{line, msg};
      CHECK_MESSAGE(prev <= cur, "findings must be sorted by (line, message)");
      prev = cur;
      // The finding's rule must be enabled by the case's configuration.
      CHECK_FALSE(resolved.diagnostic.has_value());
      CHECK(resolved.config.runs(*r));
      if (std::find(fired.begin(), fired.end(), r->id) == fired.end()) fired.push_back(r->id);
    }

    if (c.folder != "CheckDirective") {
      if (starts_with(c.stem, "trigger")) {
        CHECK(std::any_of(expect.begin(), expect.end(),
                          [&](const json& f) { return f["rule"] == c.folder; }));
      } else {
        CHECK_MESSAGE(starts_with(c.stem, "clean"), "stems start with trigger or clean");
        CHECK(expect.empty());
      }
    }

    // outcome.json
    int exit_status = expect.empty() ? 0 : 1;
    std::optional<std::string> error, error_prefix;
    if (fs::exists(base / (c.stem + ".outcome.json"))) {
      json outcome = json::parse(read_all(base / (c.stem + ".outcome.json")));
      REQUIRE(outcome.is_object());
      for (auto& [k, v] : outcome.items()) {
        const auto& k_ = k;  // clang 14: a structured binding cannot be captured
        CAPTURE(k_);
        CHECK((k == "exit_status" || k == "error" || k == "error_prefix"));
      }
      REQUIRE(outcome.contains("exit_status"));
      REQUIRE(outcome["exit_status"].is_number_integer());
      exit_status = outcome["exit_status"].get<int>();
      if (outcome.contains("error")) error = outcome["error"].get<std::string>();
      if (outcome.contains("error_prefix"))
        error_prefix = outcome["error_prefix"].get<std::string>();
      CHECK_FALSE((error && error_prefix));
    }
    const bool has_error = error || error_prefix;
    CHECK(exit_status == check_call_exit_status(expect.size(), has_error));

    // Configuration errors are exactly what resolve_check_config reports, and nothing else is
    // reported then.
    if (resolved.diagnostic) {
      REQUIRE(error.has_value());
      CHECK(*error == resolved.diagnostic->message);
      CHECK(expect.empty());
    } else if (error && starts_with(*error, "failed to parse check options") ) {
      FAIL_CHECK("a configuration error that resolve_check_config does not report");
    }
    // error=true turns the findings into the lint-violation error.
    if (!resolved.diagnostic && resolved.config.error && !fired.empty()) {
      REQUIRE(error.has_value());
      CHECK(*error == msg_lint_violation(fired));
    } else if (error && starts_with(*error, "lint violation found")) {
      FAIL_CHECK("a lint-violation error without error=true and findings");
    }
  }
  MESSAGE(findings_total << " expected findings");
}
