// What the pipeline gives and takes besides the Request (pipeline.h: dfplay::run; pipeline_job.h:
// the same run in slices): the result, and the options of one run.
#pragma once
#include <cstdint>
#include <memory>

#include "analysis.h"
#include "checks/engine.h"
#include "sim/build.h"

namespace dfplay {

struct PipelineResult {
  std::shared_ptr<const Analysis> analysis;  // never null
  std::unique_ptr<sim::BuildResult> build;   // never null
  checks::CheckResult checks;
};

struct RunOptions {
  uint64_t nonce = 0;                  // identity of this build's non-reproducible outputs
  sim::RunCache* run_cache = nullptr;  // RUN effects of earlier builds (sim/build.h)
  bool checks = true;                  // false: no checks (the build and rebuild commands)
};

}  // namespace dfplay
