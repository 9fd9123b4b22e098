// sim_bench: the build simulation and the layer cache (native).
//
//   sim_bench [--shared DIR] [--min-time SECONDS]
//
// Measures (median of rounds, wall clock): the full simulation of DIR/bench/big.Dockerfile
// (132 stages, empty context); the seed examples (tests/oracle-builds/030..033, their contexts
// loaded once); a rebuild of big.Dockerfile after a one-line edit in the middle (simulation of
// the edited file + cache session report against the first build). Targets (issue 4 / 5):
// <= 20 ms, <= 0.5 ms, <= 20 ms. Exits 0 with "skipped" when the shared folder is absent.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <vector>

#include "../src/cli/context_loader.h"
#include "cache/session.h"
#include "sim/build.h"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

double median_ms(const std::function<void()>& f, double min_time) {
  std::vector<double> t;
  auto start = std::chrono::steady_clock::now();
  do {
    auto a = std::chrono::steady_clock::now();
    f();
    auto b = std::chrono::steady_clock::now();
    t.push_back(std::chrono::duration<double, std::milli>(b - a).count());
  } while (std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < min_time || t.size() < 5);
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  fs::path shared = DFPLAY_SHARED_DIR;
  fs::path source = DFPLAY_SOURCE_DIR;
  double min_time = 1.0;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--shared" && i + 1 < argc) shared = argv[++i];
    else if (a == "--min-time" && i + 1 < argc) min_time = std::atof(argv[++i]);
  }
  fs::path big = shared / "bench" / "big.Dockerfile";
  if (!fs::exists(big)) {
    std::printf("sim_bench: skipped (%s is absent)\n", big.string().c_str());
    return 0;
  }
  std::string text = slurp(big);
  dfplay::sim::BuildInput in;
  in.dockerfile = text;
  auto first = dfplay::sim::simulate_build(in);
  size_t built = 0;
  for (const auto& s : first->stages) built += s.built;
  std::printf("big.Dockerfile: %zu stages (%zu built), %zu steps, ok=%d\n", first->stages.size(), built,
              first->steps.size(), first->ok);
  double full = median_ms([&] { auto r = dfplay::sim::simulate_build(in); }, min_time);
  std::printf("  full simulation: %.2f ms (target <= 20 ms)\n", full);

  // One-line edit in the middle: the first RUN line after the middle of the file.
  std::string edited = text;
  size_t mid = edited.find("\nRUN ", edited.size() / 2);
  if (mid != std::string::npos) edited.insert(mid + 5, "true && ");
  dfplay::sim::BuildInput ein = in;
  ein.dockerfile = edited;
  dfplay::cache::Session warm;
  warm.build(*first);
  size_t cached = 0, run = 0;
  double rebuild = median_ms(
      [&] {
        dfplay::cache::Session s = warm;
        auto r = dfplay::sim::simulate_build(ein);
        auto rep = s.build(*r);
        cached = rep.cached;
        run = rep.run;
      },
      min_time);
  std::printf("  rebuild after a one-line edit in the middle: %.2f ms (%zu cached, %zu run; target <= 20 ms)\n",
              rebuild, cached, run);

  // Seed examples.
  for (const char* name : {"030-seed-node-typescript", "031-seed-go-distroless", "032-seed-dotnet", "033-seed-static-nginx"}) {
    fs::path dir = source / "tests" / "oracle-builds" / name / "context";
    if (!fs::exists(dir)) continue;
    dfplay::context::BuildContext ctx;
    std::string err;
    if (!dfplay::cli::load_context_dir(dir.string(), ctx, {}, nullptr, &err)) continue;
    std::string df = slurp(dir / "Dockerfile");
    dfplay::sim::BuildInput si;
    si.dockerfile = df;
    si.context = &ctx;
    double t = median_ms([&] { auto r = dfplay::sim::simulate_build(si); }, min_time / 4);
    auto r = dfplay::sim::simulate_build(si);
    std::printf("  seed %-26s %.3f ms (target <= 0.5 ms), image %.1f MB\n", name, t, r->size_bytes / 1e6);
  }
  return 0;
}
