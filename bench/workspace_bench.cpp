// workspace_bench: what the app and the JS API do per edit, natively, for each built-in example,
// big.Dockerfile and generated files (the same operations bench/node/workspace.mjs times in wasm):
//   analysis   a new Workspace with the Dockerfile and its context, then result() (the whole
//              pipeline: parse, stages, simulation, cache preview, checks);
//   edit       set_dockerfile() with one RUN line in the middle changed (alternating), then result();
// each also "+ JSON": the same plus workspace_json(...).dump(), which the JS API returns.
// Median of rounds, in ms of this thread's CPU time (CLOCK_THREAD_CPUTIME_ID: on a machine shared
// with other jobs, wall-clock rounds also count the waits for a core), at least --min-time seconds
// and 3 rounds each. One line per input: NAME analysis edit analysis_json edit_json bytes.
//   workspace_bench [--min-time S] [--example-only] [FILE...]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "examples/examples.h"
#include "workspace.h"
#include "workspace_input.h"

namespace {

double g_min_time = 0.5;

double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double median_ms(const std::function<void(int)>& f) {
  std::vector<double> t;
  f(0);  // warm-up: caches filled as in an editing session
  const double start = cpu_ms();
  for (int i = 1;; ++i) {
    const double a = cpu_ms();
    f(i);
    const double b = cpu_ms();
    t.push_back(b - a);
    if (t.size() >= 3 && (b - start) / 1e3 >= g_min_time) break;
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

// The text with the RUN line nearest the middle changed when `odd` (as bench/node/workspace.mjs).
std::string edited(const std::string& text, bool odd) {
  auto mid = text.find("\nRUN ", text.size() / 2);
  if (mid == std::string::npos) mid = text.find("\nRUN ");
  if (mid == std::string::npos || !odd) return text;
  return text.substr(0, mid + 5) + "true && " + text.substr(mid + 5);
}

void measure(const std::string& name, const std::string& dockerfile, const std::vector<dfplay::WorkspaceFile>& files) {
  auto fresh = [&] {
    auto ws = std::make_unique<dfplay::Workspace>();
    ws->set_files(files);
    ws->set_dockerfile(dockerfile);
    return ws;
  };
  volatile size_t sink = 0;
  double analysis = median_ms([&](int) {
    auto ws = fresh();
    sink = sink + ws->result().build->steps.size();
  });
  double analysis_json = median_ms([&](int) {
    auto ws = fresh();
    const auto& r = ws->result();
    sink = sink + dfplay::workspace_json(*ws, r).dump().size();
  });
  auto owned = fresh();
  dfplay::Workspace& ws = *owned;
  ws.result();
  double edit = median_ms([&](int i) {
    ws.set_dockerfile(edited(dockerfile, i % 2));
    sink = sink + ws.result().build->steps.size();
  });
  double edit_json = median_ms([&](int i) {
    ws.set_dockerfile(edited(dockerfile, i % 2));
    const auto& r = ws.result();
    sink = sink + dfplay::workspace_json(ws, r).dump().size();
  });
  std::printf("%s %.3f %.3f %.3f %.3f %zu\n", name.c_str(), analysis, edit, analysis_json, edit_json, dockerfile.size());
  std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> paths;
  bool examples_only = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--min-time" && i + 1 < argc) g_min_time = std::atof(argv[++i]);
    else if (a == "--example-only") examples_only = true;
    else if (!a.empty() && a[0] == '-') {
      std::fprintf(stderr, "usage: workspace_bench [--min-time S] [--example-only] [FILE...]\n");
      return 2;
    } else paths.push_back(a);
  }
  for (const auto& ex : dfplay::examples::builtin()) {
    std::vector<dfplay::WorkspaceFile> files;
    for (const auto& f : ex.files) files.push_back({f.path, f.content, f.mode});
    measure("example:" + ex.id, ex.dockerfile, files);
  }
  if (examples_only) return 0;
  for (const auto& p : paths) {
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "workspace_bench: cannot read %s\n", p.c_str());
      return 2;
    }
    std::stringstream ss;
    ss << in.rdbuf();
    auto slash = p.find_last_of('/');
    measure(slash == std::string::npos ? p : p.substr(slash + 1), ss.str(), {});
  }
  return 0;
}
