// The headless JS API module (wasm, no ImGui): plain C exports wrapped by web/dfplay-api.js.
//
// Stateless calls take JSON text and return JSON text; stateful ones go through Workspace handles
// (small integers; a destroyed or unknown handle is an error, never undefined behaviour). Every
// result is an envelope {"result": ...} or {"error": "message"} so that bad input gives a clear
// message in JavaScript. Returned pointers stay valid until the next call of the same function.
#include <emscripten/emscripten.h>

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "checks/engine.h"
#include "compare/comparer.h"
#include "compare/whatif.h"
#include "examples/examples.h"
#include "pipeline.h"
#include "report/build_json.h"
#include "report/json.h"
#include "workspace.h"
#include "workspace_input.h"

namespace {

using nlohmann::json;

std::string dump(const json& j) { return dfplay::report::dump(j); }
json ok(json result) { return json{{"result", std::move(result)}}; }
json fail(std::string message) { return json{{"error", std::move(message)}}; }

// The byte length of the text the last call returned (web/dfplay-api.js decodes exactly that many
// bytes rather than scanning ~1 MB of JSON for its NUL in JavaScript).
size_t last_length = 0;
const char* give(const std::string& out) {
  last_length = out.size();
  return out.c_str();
}

json parse(std::string_view text, std::string_view what, bool& good) {
  json j = dfplay::parse_json_text(text);  // lone surrogate escapes read as U+FFFD
  good = !j.is_discarded();
  if (!good) return fail(std::string(what) + ": the argument is not valid JSON");
  return j;
}

// ---- stateless calls ----

// The input's diagnostics (an invalid platform, bad user images) added to a build or checks report.
void add_input_diagnostics(json& out, const dfplay::WorkspaceResult& r) {
  if (r.input_diagnostics.empty() || !out.is_object()) return;
  json& d = out["diagnostics"];
  if (!d.is_array()) d = json::array();
  for (const auto& x : r.input_diagnostics) d.push_back(dfplay::report::to_json(x));
}

// `text`, when given, is the input's Dockerfile (dfplay_call_input: given apart from the JSON).
json run_check(const json& arg, const std::string_view* text = nullptr) {
  dfplay::WorkspaceInput in;
  if (auto e = dfplay::input_from_json(arg, in, "check"); !e.empty()) return fail(e);
  if (text) in.dockerfile.assign(*text);
  dfplay::Workspace ws;
  dfplay::apply_input(ws, std::move(in));
  const auto& r = ws.result();
  // Only the part asked for (workspace_json() would also write the analysis, the build and the
  // cache report, then drop them).
  json out = dfplay::checks::to_json(r.checks, ws.dockerfile_path());
  add_input_diagnostics(out, r);
  return ok(std::move(out));
}

// build: the envelope {"result": build report} written into `out`. The report is written straight
// as text (report::append_build_json: the bytes dump(build_json()) gives, without the nlohmann
// tree, which was ~40 % of build() on big.Dockerfile); through the tree only when input
// diagnostics are to be added to it.
void run_build(const json& arg, std::string& out, const std::string_view* text = nullptr) {
  dfplay::WorkspaceInput in;
  if (auto e = dfplay::input_from_json(arg, in, "build"); !e.empty()) {
    out = dump(fail(e));
    return;
  }
  if (text) in.dockerfile.assign(*text);
  dfplay::Workspace ws;
  ws.set_checks(false);  // not in the build report
  dfplay::apply_input(ws, std::move(in));
  const auto& r = ws.result();
  if (!r.build || !r.input_diagnostics.empty()) {
    json report = r.build ? dfplay::report::build_json(*r.build) : json();
    add_input_diagnostics(report, r);
    out = dump(ok(std::move(report)));
    return;
  }
  out.assign("{\"result\":");
  dfplay::report::append_build_json(out, *r.build);
  out += '}';
}

// rebuild: a build of `before` recorded in a fresh cache, then `after` previewed against it
// (what `dfplay rebuild BEFORE AFTER` prints). Options apply to both sides unless a side gives its own.
json run_rebuild(const json& arg) {
  if (!arg.is_object() || !arg.contains("before") || !arg.contains("after"))
    return fail("rebuild: expected {before, after, options}");
  for (const auto& [k, v] : arg.items())
    if (k != "before" && k != "after" && k != "options") return fail("rebuild: unknown field `" + k + "` (before, after, options)");
  dfplay::WorkspaceOptions common;
  if (auto it = arg.find("options"); it != arg.end())
    if (auto e = dfplay::options_from_json(*it, common, "rebuild"); !e.empty()) return fail(e);
  auto side = [&](const char* name, dfplay::WorkspaceInput& in) -> std::string {
    json j = arg[name];
    if (!j.is_object()) return std::string("rebuild: `") + name + "` must be an object {dockerfile, files, options}";
    json own = j.contains("options") ? j["options"] : json();
    j.erase("options");
    if (auto e = dfplay::input_from_json(j, in, std::string("rebuild.") + name); !e.empty()) return e;
    in.options = common;
    return dfplay::options_from_json(own, in.options, std::string("rebuild.") + name);
  };
  dfplay::WorkspaceInput before, after;
  if (auto e = side("before", before); !e.empty()) return fail(e);
  if (auto e = side("after", after); !e.empty()) return fail(e);
  dfplay::Workspace ws;
  dfplay::apply_input(ws, std::move(before));
  const bool before_ok = ws.result().build->ok;
  ws.build();
  dfplay::apply_input(ws, std::move(after));
  const auto& r = ws.result();
  json out = dfplay::report::rebuild_json(*r.build, r.cache);
  out["before_ok"] = before_ok;
  return ok(std::move(out));
}

// compare: A against B (compare/comparer.h), the JSON of `dfplay diff --json`. The argument
// is {a, b, options} as for rebuild (options apply to both sides unless a side gives its own).
json run_compare(const json& arg) {
  if (!arg.is_object() || !arg.contains("a") || !arg.contains("b")) return fail("compare: expected {a, b, options}");
  for (const auto& [k, v] : arg.items())
    if (k != "a" && k != "b" && k != "options") return fail("compare: unknown field `" + k + "` (a, b, options)");
  dfplay::WorkspaceOptions common;
  if (auto it = arg.find("options"); it != arg.end())
    if (auto e = dfplay::options_from_json(*it, common, "compare"); !e.empty()) return fail(e);
  auto side = [&](const char* name, dfplay::WorkspaceInput& in) -> std::string {
    json j = arg[name];
    if (!j.is_object()) return std::string("compare: `") + name + "` must be an object {dockerfile, files, options}";
    json own = j.contains("options") ? j["options"] : json();
    j.erase("options");
    if (auto e = dfplay::input_from_json(j, in, std::string("compare.") + name); !e.empty()) return e;
    in.options = common;
    return dfplay::options_from_json(own, in.options, std::string("compare.") + name);
  };
  dfplay::WorkspaceInput a, b;
  if (auto e = side("a", a); !e.empty()) return fail(e);
  if (auto e = side("b", b); !e.empty()) return fail(e);
  return ok(dfplay::compare::compare_inputs(std::move(a), std::move(b)));
}

// whatIfs: the ready what-ifs of {dockerfile, files, options} with their effects (compare/whatif.h).
json run_what_ifs(const json& arg) {
  dfplay::WorkspaceInput in;
  if (auto e = dfplay::input_from_json(arg, in, "whatIfs"); !e.empty()) return fail(e);
  return ok(dfplay::compare::what_ifs_json(dfplay::compare::ready_what_ifs(in)));
}

// ---- workspaces ----

std::map<int, std::unique_ptr<dfplay::Workspace>>& workspaces() {
  static std::map<int, std::unique_ptr<dfplay::Workspace>> w;
  return w;
}
int next_handle = 1;

json ws_call(dfplay::Workspace& ws, std::string_view op, const json& arg) {
  using namespace dfplay;
  if (op == "setDockerfile") {
    if (!arg.is_string()) return fail("setDockerfile: the Dockerfile text must be a string");
    ws.set_dockerfile(arg.get<std::string>());  // also its context file (Workspace keeps them in step)
    return ok(nullptr);
  }
  if (op == "setDockerfilePath") {
    if (!arg.is_string()) return fail("setDockerfilePath: the path must be a string");
    ws.set_dockerfile_path(arg.get<std::string>());
    return ok(nullptr);
  }
  if (op == "setFiles") {
    std::vector<WorkspaceFile> files;
    if (auto e = files_from_json(arg, files, "setFiles"); !e.empty()) return fail(e);
    ws.set_files(std::move(files));
    return ok(nullptr);
  }
  if (op == "setOptions") {
    WorkspaceOptions o = ws.options();
    if (!arg.is_object()) return fail("setOptions: expected an object, e.g. {target: \"builder\"}");
    if (auto e = options_from_json(arg, o, "setOptions"); !e.empty()) return fail(e);
    ws.set_options(std::move(o));
    return ok(nullptr);
  }
  if (op == "load") {
    WorkspaceInput in;
    if (auto e = input_from_json(arg, in, "load"); !e.empty()) return fail(e);
    apply_input(ws, std::move(in));
    return ok(nullptr);
  }
  if (op == "addImages") {
    std::string text = arg.is_string() ? arg.get<std::string>() : dump(arg);
    Diagnostics d = ws.add_images_json(text);
    json out = json::array();
    for (const auto& x : d) out.push_back(report::to_json(x));
    return ok(std::move(out));
  }
  if (op == "clearImages") {
    ws.clear_images();
    return ok(nullptr);
  }
  if (op == "result") {
    const auto& r = ws.result();
    json j = workspace_json(ws, r);
    json files = json::object();
    for (const auto& f : ws.files()) files[f.path] = f.size ? json{{"size", *f.size}} : json(f.content);
    j["dockerfile"] = ws.dockerfile();
    j["dockerfile_path"] = ws.dockerfile_path();
    j["files"] = std::move(files);
    j["cache_empty"] = ws.cache_empty();
    return ok(std::move(j));
  }
  if (op == "build") {
    const auto& r = ws.result();
    json out = report::rebuild_json(*r.build, r.cache);
    ws.build();
    return ok(std::move(out));
  }
  if (op == "clearCache") {
    ws.clear_cache();
    return ok(nullptr);
  }
  return fail("workspace: unknown operation `" + std::string(op) + "`");
}

}  // namespace

extern "C" {

// analyze(text) as JSON: the same document as `dfplay analyze --json` (valid until the next call).
EMSCRIPTEN_KEEPALIVE const char* dfplay_analyze(const char* text, size_t length, const char* file_name) {
  static std::string out;
  dfplay::Request request;
  request.dockerfile = std::string_view(text, length);
  if (file_name && *file_name) request.dockerfile_path = file_name;
  auto analysis = dfplay::analyze(request);
  out = dump(dfplay::report::analysis_json(*analysis));
  return give(out);
}

EMSCRIPTEN_KEEPALIVE const char* dfplay_version() { return DFPLAY_VERSION; }

// Aborts the module (what a failure nothing else catches does): for the tests of the wrapper's
// recovery (web/dfplay-api.js starts a fresh module and keeps working).
EMSCRIPTEN_KEEPALIVE void dfplay_abort_for_testing() { std::abort(); }

// A stateless call: op is "build", "check", "rebuild", "compare" or "whatIfs"; the argument is JSON text. Returns the
// envelope {"result": ...} or {"error": "..."}.
EMSCRIPTEN_KEEPALIVE const char* dfplay_call(const char* op_ptr, const char* arg, size_t length) {
  static std::string out;
  std::string_view op(op_ptr ? op_ptr : "");
  bool good = false;
  json j = parse(std::string_view(arg, length), op, good);
  if (!good) {
    out = dump(j);
    return give(out);
  }
  if (op == "build") {
    run_build(j, out);
    return give(out);
  }
  json res;
  if (op == "check") res = run_check(j);
  else if (op == "rebuild") res = run_rebuild(j);
  else if (op == "compare") res = run_compare(j);
  else if (op == "whatIfs") res = run_what_ifs(j);
  else res = fail("unknown call `" + std::string(op) + "`");
  out = dump(res);
  return give(out);
}

// build or check with the input's Dockerfile text given apart: `text` (UTF-8, text_length bytes)
// is the input's `dockerfile`, and the argument JSON is the rest of the input (a `dockerfile`
// member in it is replaced). The same result as dfplay_call with the text inside the JSON, without
// ~0.5 MB of JSON string escaped in JavaScript and read back character by character here.
EMSCRIPTEN_KEEPALIVE const char* dfplay_call_input(const char* op_ptr, const char* arg, size_t length, const char* text,
                                                   size_t text_length) {
  static std::string out;
  std::string_view op(op_ptr ? op_ptr : "");
  bool good = false;
  json j = parse(std::string_view(arg, length), op, good);
  const std::string_view dockerfile(text ? text : "", text ? text_length : 0);
  if (!good) out = dump(j);
  else if (op == "build") run_build(j, out, &dockerfile);
  else if (op == "check") out = dump(run_check(j, &dockerfile));
  else out = dump(fail("unknown call `" + std::string(op) + "` (with a separate Dockerfile text: build, check)"));
  return give(out);
}

// The built-in examples: a JSON array (examples::to_json).
EMSCRIPTEN_KEEPALIVE const char* dfplay_examples() {
  static std::string out;
  if (out.empty()) out = dfplay::examples::to_json();
  return give(out);
}

// Workspaces: create -> handle (> 0); destroy -> 1 when it existed.
EMSCRIPTEN_KEEPALIVE int dfplay_ws_create() {
  int h = next_handle++;
  workspaces()[h] = std::make_unique<dfplay::Workspace>();
  return h;
}

EMSCRIPTEN_KEEPALIVE int dfplay_ws_destroy(int handle) { return workspaces().erase(handle) ? 1 : 0; }

// One operation on a workspace (see ws_call), the argument as JSON text ("null" when none).
EMSCRIPTEN_KEEPALIVE const char* dfplay_ws_call(int handle, const char* op, const char* arg, size_t length) {
  static std::string out;
  auto it = workspaces().find(handle);
  if (it == workspaces().end()) {
    out = dump(fail("workspace: this workspace was destroyed (or never created)"));
    return give(out);
  }
  std::string_view name(op ? op : "");
  bool good = false;
  json j = parse(std::string_view(arg, length), name, good);
  out = dump(good ? ws_call(*it->second, name, j) : j);
  return give(out);
}

// The byte length of the text returned by the last of the calls above (without its NUL).
EMSCRIPTEN_KEEPALIVE size_t dfplay_last_length() { return last_length; }

}  // extern "C"
