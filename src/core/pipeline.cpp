#include "pipeline.h"

#include "pipeline_job.h"

namespace dfplay {

PipelineResult run(const Request& request, const RunOptions& options) {
  return PipelineJob(request, options).take().pipeline;
}

std::unique_ptr<sim::BuildResult> simulate(const Request& request, uint64_t nonce, sim::RunCache* run_cache) {
  return run(request, {.nonce = nonce, .run_cache = run_cache, .checks = false}).build;
}

}  // namespace dfplay
