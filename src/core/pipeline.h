// The whole pipeline in one call, the one path every front end takes (the Workspace, the CLI's
// commands, the JS API): a Request (request.h) is analysed once (analysis.h: parse,
// instructions, stage graph, ARG/ENV evaluation), the analysis is simulated (sim/build.h), and
// the checks read both (checks/engine.h). The layer cache (cache/session.h) and the reports
// (report/) take the result from there.
//
//   dfplay::Request req;
//   req.dockerfile = text;
//   req.context = &ctx;                     // optional
//   req.options.target = "build";
//   auto r = dfplay::run(req);              // r.analysis, r.build, r.checks
#pragma once
#include <cstdint>
#include <memory>

#include "pipeline_result.h"
#include "request.h"

namespace dfplay {

// The one definition of the pipeline's order is PipelineJob's (pipeline_job.h): run() is a job
// stepped to the end, with no cache preview.
PipelineResult run(const Request& request, const RunOptions& options = {});

// The analysis and simulation alone: run(request, {.checks = false}).build.
std::unique_ptr<sim::BuildResult> simulate(const Request& request, uint64_t nonce = 0,
                                           sim::RunCache* run_cache = nullptr);

}  // namespace dfplay
