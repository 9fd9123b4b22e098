// The 40 image-content cases recorded from the real engine (tests/oracle-builds/*): our image's
// files beyond the base (COPY/ADD/WORKDIR results) and the config fields the Dockerfile sets,
// compared with expected.json; error cases must fail.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "../../src/cli/context_loader.h"
#include "../unit/engine_cases.h"
#include "../unit/shared_dir.h"
#include "pipeline.h"
#include "sim/build.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string octal(uint32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04o", m);
  return buf;
}

std::string type_of(dfplay::sim::NodeType t) {
  return t == dfplay::sim::NodeType::Dir ? "dir" : t == dfplay::sim::NodeType::Symlink ? "symlink" : "file";
}

// One line per entry: what we compare.
std::string describe(const std::string& path, const std::string& type, uint64_t size, const std::string& mode,
                     uint32_t uid, uint32_t gid, const std::string& target) {
  std::ostringstream o;
  o << path << " " << type << " " << (type == "file" ? std::to_string(size) : "-") << " " << mode << " " << uid << ":"
    << gid;
  if (type == "symlink") o << " -> " << target;
  return o.str();
}

struct CaseResult {
  bool pass = true;
  std::string detail;
};

CaseResult run_case(const fs::path& dir) {
  CaseResult out;
  json cs = json::parse(slurp(dir / "case.json"));
  json exp = json::parse(slurp(dir / "expected.json"));
  fs::path ctxdir = dir / "context";
  // Empty directories git cannot store (case 026): create them in a scratch copy.
  fs::path scratch;
  if (cs.contains("empty_dirs") && cs["empty_dirs"].is_array() && !cs["empty_dirs"].empty()) {
    scratch = fs::temp_directory_path() / ("dfplay-oracle-" + dir.filename().string());
    fs::remove_all(scratch);
    fs::copy(ctxdir, scratch, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    for (const auto& d : cs["empty_dirs"]) fs::create_directories(scratch / d.get<std::string>());
    ctxdir = scratch;
  }
  dfplay::context::BuildContext ctx;
  std::string err;
  REQUIRE(dfplay::cli::load_context_dir(ctxdir.string(), ctx, {}, nullptr, &err));
  std::string text = slurp(ctxdir / "Dockerfile");
  dfplay::Request in;
  in.dockerfile = text;
  in.context = &ctx;
  if (cs["target"].is_string()) in.options.target = cs["target"].get<std::string>();
  if (cs.contains("build_args") && cs["build_args"].is_object())
    for (auto& [k, v] : cs["build_args"].items()) in.options.build_args.emplace_back(k, v.get<std::string>());
  auto b = dfplay::simulate(in);
  if (!scratch.empty()) fs::remove_all(scratch);
  if (!exp["ok"].get<bool>()) {
    if (b->ok) {
      out.pass = false;
      out.detail = "the engine failed (" + exp["error"].get<std::string>() + ") but we did not";
    }
    return out;
  }
  if (!b->ok) {
    out.pass = false;
    out.detail = "we failed:";
    for (const auto& d : b->diagnostics)
      if (d.severity == dfplay::Severity::Error) out.detail += " " + d.message + ";";
    return out;
  }
  // Stages built.
  std::set<std::string> built_exp, built_got;
  for (const auto& s : exp["stages_built"]) built_exp.insert(s.get<std::string>());
  for (const auto& s : b->stages)
    if (s.built) built_got.insert(s.label);
  if (built_exp != built_got) {
    out.pass = false;
    out.detail += "\n  stages built differ";
  }
  // Files. With RUN steps in the target's chain, RUN outputs are the oracle's stubs: compare only
  // the entries we did not get from a RUN layer, and only those the engine lists.
  bool has_run = false;
  std::set<size_t> run_layers;
  const auto& t = b->stages[b->target];
  for (size_t i = 0; i < t.layers.size(); ++i)
    if (b->steps[t.layers[i].step].kind == dfplay::sim::StepKind::Run) has_run = true, run_layers.insert(i + 1);
  std::map<std::string, std::string> want, got;
  std::set<std::string> base_changed;
  for (const auto& p : exp["image"].value("base_files_changed", json::array())) base_changed.insert(p.get<std::string>());
  for (const auto& f : exp["image"]["files"]) {
    std::string path = f["path"];
    want[path] = describe(path, f["type"], f.value("size", 0), f["mode"], f["uid"], f["gid"], f.value("target", ""));
  }
  // Entries whose content a RUN produced in another stage (estimated by us, a stub's output in
  // the engine): their presence counts, not their size; a summary stands for its whole subtree.
  std::set<std::string> estimated_paths, summary_dirs;
  for (const auto& f : b->files) {
    if (f.summary) summary_dirs.insert(f.path);
    else if (f.estimated) estimated_paths.insert(f.path);
    if (run_layers.count(f.layer) || f.summary || f.estimated) continue;
    got[f.path] = describe(f.path, type_of(f.type), f.size, octal(f.mode), f.uid, f.gid, f.link);
  }
  for (const auto& [p, d] : got) {
    auto it = want.find(p);
    if (it == want.end()) {
      if (!base_changed.count(p) && !has_run) {
        // A directory that exists in the base with the same attributes is not listed.
        if (d.find(" dir ") != std::string::npos) continue;
        out.pass = false;
        out.detail += "\n  extra: " + d;
      }
    } else if (it->second != d) {
      out.pass = false;
      out.detail += "\n  differs: got " + d + ", want " + it->second;
    }
  }
  if (!has_run)
    for (const auto& [p, d] : want)
      if (!got.count(p)) {
        if (estimated_paths.count(p)) continue;
        bool under_summary = false;
        for (const auto& d : summary_dirs) under_summary = under_summary || dfplay::sim::is_within(p, d);
        if (under_summary) continue;
        out.pass = false;
        out.detail += "\n  missing: " + d;
      }
  // Config fields the Dockerfile controls.
  const auto& c = exp["image"]["config"];
  if (c["User"].get<std::string>() != b->config.user) {
    out.pass = false;
    out.detail += "\n  User: got \"" + b->config.user + "\", want \"" + c["User"].get<std::string>() + "\"";
  }
  std::string wd = b->config.workdir;
  if (c["WorkingDir"].get<std::string>() != wd) {
    out.pass = false;
    out.detail += "\n  WorkingDir: got \"" + wd + "\", want \"" + c["WorkingDir"].get<std::string>() + "\"";
  }
  std::set<std::string> ports_want, ports_got(b->config.exposed_ports.begin(), b->config.exposed_ports.end());
  if (c["ExposedPorts"].is_object())
    for (auto& [k, v] : c["ExposedPorts"].items()) ports_want.insert(k);
  if (ports_want != ports_got) {
    out.pass = false;
    out.detail += "\n  ExposedPorts differ";
  }
  std::map<std::string, std::string> labels_want;
  if (c["Labels"].is_object())
    for (auto& [k, v] : c["Labels"].items()) labels_want[k] = v.get<std::string>();
  if (labels_want != b->config.labels) {
    out.pass = false;
    out.detail += "\n  Labels differ";
  }
  return out;
}

}  // namespace

TEST_CASE("oracle builds: image files and config agree with the real engine") {
  fs::path root = dfplay::testing::source_dir() / "tests" / "oracle-builds";
  if (!fs::exists(root)) {
    MESSAGE("[dfplay-skipped] tests/oracle-builds is absent");
    return;
  }
  const std::vector<fs::path> dirs = dfplay::testing::case_dirs(root);
  // Where we knowingly differ from the recorded engine, and why. A listed case that starts to
  // agree fails the test, so this list stays true.
  const std::map<std::string, std::string> known = {
      {"024-copy-from-stage-dir-and-file",
       "the stand-in node image's `npm run build` writes dist/ without node_modules; real npm fails with "
       "`sh: tsc: not found` (no npm ci before it), which is what we predict"},
      {"017-add-tar-chown",
       "the oracle's stand-in node:20-alpine has no /opt, so the ADD creates it owned 1000:1000; the real image "
       "(our catalog) ships /opt/yarn-v1.22.22 and BuildKit leaves an existing destination alone (fsutil "
       "MkdirAll), so we keep /opt 0:0. The extracted members (archive owners 0:0) agree; "
       "sim/archive_extract_test.cpp checks both bases"},
      {"028-copy-parents-flag-frontend-1.7",
       "we read current Dockerfile syntax, where COPY --parents exists; the engine's built-in 1.7 frontend "
       "rejects it. We warn (instruction/labs-flag) instead of failing"},
      {"029-copy-exclude-flag-frontend-1.7",
       "as 028, for COPY --exclude"},
  };
  int pass = 0;
  for (const auto& d : dirs) {
    auto r = run_case(d);
    std::string name = d.filename().string();
    if (r.pass) ++pass;
    if (dfplay::testing::known_divergence(known, name, r.pass)) continue;
    CHECK_MESSAGE(r.pass, name << r.detail);
  }
  MESSAGE("oracle builds: " << pass << "/" << dirs.size() << " cases agree");
}
