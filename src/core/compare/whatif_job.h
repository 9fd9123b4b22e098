// The ready what-ifs of an input (whatif.h) made in slices: the one way they are computed.
// ready_what_ifs() runs a job to the end; the app steps one between frames (after the editor's
// analysis and the comparison), so that several whole simulated builds never block the page.
//
//   WhatIfJob job(input);
//   while (!job.step(8.0)) { ... draw the last list with "updating" ... }   // ~8 ms per call
//   std::vector<WhatIf> list = job.take();
//
// The work, in order (each part through Workspace::step / Comparer::step, so a step is about
// budget_ms long and at least one unit of a pipeline job: never a whole build of a big input):
//   1. the input analysed (a Workspace); what_ifs() of its build (none when it fails);
//   2. the rebuild after an edit of a source file (edit_probe_file), on the same workspace: its
//      build recorded, one byte appended to the file, the rebuild previewed;
//   3. one Comparer with A = the input (analysed, recorded in B's cache), then for each what-if:
//      B = its variant analysed against A's cache and compared (Effect), and the same edit probe
//      on the variant in a fresh workspace;
//   4. those whose build fails are dropped.
// Stepped to the end or all at once, the list is the same (whatif_job_test.cpp). The job owns a
// copy of its input: the caller drops it (and makes a new one) when the input changes.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "compare/comparer.h"
#include "compare/whatif.h"
#include "workspace.h"
#include "workspace_input.h"

namespace dfplay::compare {

class WhatIfJob {
 public:
  explicit WhatIfJob(WorkspaceInput in);
  // About budget_ms of work (at least one unit); true once the list is made.
  bool step(double budget_ms);
  void finish();  // what is left, at once
  bool done() const { return phase_ == Phase::Done; }
  // The what-ifs whose build succeeds, with their effects (done() only; moves them out).
  std::vector<WhatIf> take();
  // Progress, for a front end's "updating" note: what-ifs found (once the input is analysed) and
  // evaluated so far.
  size_t found() const { return list_.size(); }
  size_t evaluated() const { return next_; }

 private:
  enum class Phase { Analyse, ProbeA, CompareA, Evaluate, ProbeB, Done };
  // A workspace measuring the rebuild after the probe's edit: analyse, record, edit, analyse.
  struct EditProbe {
    Workspace* ws = nullptr;
    bool recorded = false;
    bool step(const WorkspaceInput& in, const std::string& path, double budget_ms);
  };
  void unit(double budget_ms);  // one unit of the current phase
  void finish_list();

  WorkspaceInput in_;
  Phase phase_ = Phase::Analyse;
  Workspace ws_;  // the input's analysis, then its edit probe
  std::unique_ptr<Workspace> probe_ws_;  // the current what-if's edit probe
  EditProbe probe_;
  std::string probe_file_;
  double a_edit_seconds_ = 0;
  Comparer comparer_;
  std::vector<WhatIf> list_;
  size_t next_ = 0;  // the what-if being evaluated
};

}  // namespace dfplay::compare
