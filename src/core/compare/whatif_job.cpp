#include "compare/whatif_job.h"

#include <algorithm>
#include <chrono>

namespace dfplay::compare {
namespace {

using Clock = std::chrono::steady_clock;
double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// `in` with one byte appended to the source file `path` (the edit the probe measures).
WorkspaceInput edited(WorkspaceInput in, const std::string& path) {
  for (auto& f : in.files)
    if (f.path == path) f.content += "\n";
  return in;
}

// The comparison of the input (A) with the what-if's variant (B), as the what-if's effect.
void fill_effect(Comparer& c, WhatIf& w) {
  const Diff& d = c.diff();
  const sim::BuildResult& b = *c.b_result().build;
  Effect& e = w.effect;
  e.evaluated = true;
  e.ok = d.b.ok && b.target < b.stages.size();
  for (const auto& x : b.diagnostics) e.ok &= x.severity != Severity::Error;
  e.size_delta = d.size_delta;
  e.compressed_delta = d.compressed_delta;
  e.context_delta = d.context_delta;
  e.time_delta = d.time_delta;
  e.b_size = d.b.size_bytes;
  e.b_cold_seconds = d.b.cold_seconds;
  e.cached = d.cache.cached;
  e.run = d.cache.run;
  e.rebuild_seconds = d.cache.seconds;
  e.fixed = d.fixed.size();
  e.introduced = d.introduced.size();
  e.files_added = d.added;
  e.files_removed = d.removed;
  e.files_changed = d.changed;
}

}  // namespace

// The workspace holds `in` (analysed or being analysed): its build is recorded, the edit applied,
// and the rebuild previewed; true once ws->last().cache is that preview.
bool WhatIfJob::EditProbe::step(const WorkspaceInput& in, const std::string& path, double budget_ms) {
  if (!recorded) {
    if (ws->pending() && !ws->step(budget_ms)) return false;
    ws->build();  // its result is current: nothing is computed again
    apply_input(*ws, edited(in, path));
    recorded = true;
    return false;  // the rebuild in the next units
  }
  return ws->step(budget_ms);
}

WhatIfJob::WhatIfJob(WorkspaceInput in) : in_(std::move(in)) { apply_input(ws_, in_); }

void WhatIfJob::unit(double budget_ms) {
  switch (phase_) {
    case Phase::Analyse: {
      if (!ws_.step(budget_ms)) return;
      const WorkspaceResult& r = ws_.last();
      in_.files = ws_.files();  // as the workspace holds them: the Dockerfile's context file holds its text
      if (!r.build->ok) {
        phase_ = Phase::Done;
        return;
      }
      list_ = what_ifs(in_, *r.build);
      if (list_.empty()) {
        phase_ = Phase::Done;
        return;
      }
      probe_file_ = edit_probe_file(in_);
      if (!probe_file_.empty()) {
        probe_ = EditProbe{&ws_, false};  // the input's own workspace: it is analysed already
        phase_ = Phase::ProbeA;
        return;
      }
      phase_ = Phase::CompareA;
      return;
    }
    case Phase::ProbeA:
      if (!probe_.step(in_, probe_file_, budget_ms)) return;
      a_edit_seconds_ = ws_.last().cache.seconds;
      phase_ = Phase::CompareA;
      return;
    case Phase::CompareA:
      // One Comparer for every what-if: B's preview is against A's build only (previews are not
      // recorded), so A is analysed and recorded once.
      comparer_.set_a(in_);
      comparer_.set_b(list_[next_].variant);
      phase_ = Phase::Evaluate;
      return;
    case Phase::Evaluate: {
      if (!comparer_.step(budget_ms)) return;
      WhatIf& w = list_[next_];
      fill_effect(comparer_, w);
      if (!probe_file_.empty()) {
        probe_ws_ = std::make_unique<Workspace>();
        apply_input(*probe_ws_, w.variant);
        probe_ = EditProbe{probe_ws_.get(), false};
        phase_ = Phase::ProbeB;
        return;
      }
      break;  // the next what-if
    }
    case Phase::ProbeB: {
      WhatIf& w = list_[next_];
      if (!probe_.step(w.variant, probe_file_, budget_ms)) return;
      w.effect.edited_file = probe_file_;
      w.effect.a_edit_seconds = a_edit_seconds_;
      w.effect.b_edit_seconds = probe_ws_->last().cache.seconds;
      probe_ws_.reset();
      break;  // the next what-if
    }
    case Phase::Done:
      return;
  }
  if (++next_ < list_.size()) {
    comparer_.set_b(list_[next_].variant);
    phase_ = Phase::Evaluate;
    return;
  }
  finish_list();
}

void WhatIfJob::finish_list() {
  list_.erase(std::remove_if(list_.begin(), list_.end(), [](const WhatIf& w) { return !w.effect.ok; }), list_.end());
  phase_ = Phase::Done;
}

bool WhatIfJob::step(double budget_ms) {
  const auto t0 = Clock::now();
  do {
    unit(std::max(0.0, budget_ms - ms_since(t0)));
  } while (!done() && ms_since(t0) < budget_ms);
  return done();
}

void WhatIfJob::finish() {
  while (!step(1e9)) {
  }
}

std::vector<WhatIf> WhatIfJob::take() { return done() ? std::move(list_) : std::vector<WhatIf>{}; }

}  // namespace dfplay::compare
