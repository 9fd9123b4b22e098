// Runs every case of tests/checks/ (format: tests/checks/README.md) through checks::run_checks
// and compares the BuildKit findings (rule, line, message) and the outcome (exit status, build
// error) exactly with the sidecars. Best practices are off here: the corpus describes BuildKit.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "checks/engine.h"
#include "context/build_context.h"
#include "pipeline.h"

namespace fs = std::filesystem;
using nlohmann::json;
using namespace dfplay;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

using Row = std::tuple<uint32_t, std::string, std::string>;  // line, message, rule

struct CaseResult {
  bool findings_ok = false;
  bool outcome_ok = false;
  std::string detail;
};

CaseResult run_case(const fs::path& dockerfile) {
  std::string stem = dockerfile.filename().string();
  stem = stem.substr(0, stem.size() - std::string_view(".Dockerfile").size());
  fs::path dir = dockerfile.parent_path();
  std::string text = slurp(dockerfile);
  json expect = json::parse(slurp(dir / (stem + ".expect.json")));
  json opts = fs::exists(dir / (stem + ".options.json")) ? json::parse(slurp(dir / (stem + ".options.json")))
                                                          : json::object();

  Request req;
  req.dockerfile = text;
  req.options.best_practices = false;
  if (opts.contains("build_args"))
    for (auto& [k, v] : opts["build_args"].items()) req.options.build_args.emplace_back(k, v.get<std::string>());
  if (opts.contains("build_platform")) req.options.build_platform = opts["build_platform"].get<std::string>();
  req.options.platform = req.options.build_platform;  // the target platform is the build platform unless given
  if (opts.contains("target_platform")) {
    req.options.platform = opts["target_platform"].get<std::string>();
    req.options.platform_given = true;
  }
  json images = opts.value("images", json::object());
  auto image_facts = [images](std::string_view ref) -> std::optional<checks::ImageFacts> {
    checks::ImageFacts f;
    auto it = images.find(std::string(ref));
    if (it == images.end()) return f;
    for (const auto& p : it->value("platforms", json::array())) f.platforms.push_back(p.get<std::string>());
    if (it->contains("env")) {
      f.has_env = true;
      for (const auto& e : (*it)["env"]) f.env.push_back(e.get<std::string>());
    }
    f.has_shell_config = it->contains("shell");
    return f;
  };
  context::BuildContext ctx;
  fs::path ctx_dir = dir / (stem + ".context");
  if (fs::is_directory(ctx_dir)) {
    context::ContextBuilder b;
    for (const auto& f : fs::recursive_directory_iterator(ctx_dir))
      if (f.is_regular_file()) b.add_file(fs::relative(f.path(), ctx_dir).generic_string(), slurp(f.path()));
    ctx = b.build();
    req.context = &ctx;
  }
  auto analysis = analyze(req);
  auto build = sim::simulate_build(analysis);
  checks::CheckInput in{*analysis, build.get(), image_facts};
  auto result = checks::run_checks(in);

  std::vector<Row> want, got;
  for (const auto& f : expect)
    want.emplace_back(f["line"].get<uint32_t>(), f["message"].get<std::string>(), f["rule"].get<std::string>());
  for (const auto& f : result.findings)
    if (f.buildkit) got.emplace_back(f.line(), f.message, f.id);
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());

  CaseResult cr;
  cr.findings_ok = want == got;
  if (!cr.findings_ok) {
    std::ostringstream ss;
    ss << "expected:\n";
    for (const auto& [l, m, r] : want) ss << "  " << l << " " << r << ": " << m << "\n";
    ss << "got:\n";
    for (const auto& [l, m, r] : got) ss << "  " << l << " " << r << ": " << m << "\n";
    cr.detail += ss.str();
  }

  int want_status = want.empty() ? 0 : 1;
  std::string want_error, want_prefix;
  if (fs::exists(dir / (stem + ".outcome.json"))) {
    json oc = json::parse(slurp(dir / (stem + ".outcome.json")));
    want_status = oc.value("exit_status", want_status);
    want_error = oc.value("error", "");
    want_prefix = oc.value("error_prefix", "");
  }
  bool error_ok = !want_prefix.empty() ? result.build_error.rfind(want_prefix, 0) == 0
                                       : result.build_error == want_error;
  cr.outcome_ok = result.exit_status == want_status && error_ok;
  if (!cr.outcome_ok)
    cr.detail += "outcome: want status " + std::to_string(want_status) + " error '" + want_error + want_prefix +
                 "', got status " + std::to_string(result.exit_status) + " error '" + result.build_error + "'\n";
  return cr;
}

}  // namespace

TEST_CASE("checks corpus: run_checks matches every case") {
  fs::path root = fs::path(DFPLAY_SOURCE_DIR) / "tests" / "checks";
  REQUIRE(fs::is_directory(root));
  std::vector<fs::path> cases;
  for (const auto& d : fs::directory_iterator(root))
    if (d.is_directory())
      for (const auto& f : fs::directory_iterator(d.path()))
        if (f.path().extension() == ".Dockerfile") cases.push_back(f.path());
  std::sort(cases.begin(), cases.end());
  size_t pass = 0;
  for (const auto& c : cases) {
    auto r = run_case(c);
    std::string name = c.parent_path().filename().string() + "/" + c.filename().string();
    CAPTURE(name);
    CAPTURE(r.detail);
    CHECK(r.findings_ok);
    CHECK(r.outcome_ok);
    if (r.findings_ok && r.outcome_ok) ++pass;
  }
  MESSAGE(pass << "/" << cases.size() << " corpus cases match");
}
