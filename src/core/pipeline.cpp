#include "pipeline.h"

namespace dfplay {

PipelineResult run(const Request& request, const RunOptions& options) {
  PipelineResult r;
  r.analysis = analyze(request);
  r.build = sim::simulate_build(r.analysis, options.nonce, options.run_cache);
  if (options.checks) r.checks = checks::run_checks({*r.analysis, r.build.get(), {}});
  return r;
}

std::unique_ptr<sim::BuildResult> simulate(const Request& request, uint64_t nonce, sim::RunCache* run_cache) {
  return sim::simulate_build(analyze(request), nonce, run_cache);
}

}  // namespace dfplay
