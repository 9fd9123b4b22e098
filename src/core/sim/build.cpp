#include "sim/build.h"

#include "sim/builder.h"

namespace dfplay::sim {

std::string_view step_kind_name(StepKind k) {
  switch (k) {
    case StepKind::From: return "from";
    case StepKind::Run: return "run";
    case StepKind::Copy: return "copy";
    case StepKind::Add: return "add";
    case StepKind::Workdir: return "workdir";
  }
  return "?";
}

using detail::Builder;
using detail::run_input_key;


std::shared_ptr<const Effect> RunCache::find(uint64_t key) {
  if (auto it = now_.find(key); it != now_.end()) return it->second;
  if (auto it = before_.find(key); it != before_.end()) {
    std::shared_ptr<const Effect> e = it->second;
    store(key, e);
    return e;
  }
  return nullptr;
}

void RunCache::store(uint64_t key, std::shared_ptr<const Effect> effect) {
  if (now_.size() >= kGeneration) {
    before_ = std::move(now_);
    now_.clear();
  }
  now_.emplace(key, std::move(effect));
}

void RunCache::clear() {
  now_.clear();
  before_.clear();
}

struct Simulation::Impl {
  enum class Phase { Start, Stages, Finish, Done };
  std::unique_ptr<BuildResult> r;
  uint64_t nonce = 0;
  RunCache* run_cache = nullptr;
  std::optional<Builder> builder;
  Phase phase = Phase::Start;
};

Simulation::Simulation(std::shared_ptr<const Analysis> analysis, uint64_t nonce, RunCache* run_cache)
    : impl_(std::make_unique<Impl>()) {
  impl_->r = std::make_unique<BuildResult>();
  impl_->r->analysis = std::move(analysis);
  impl_->nonce = nonce;
  impl_->run_cache = run_cache;
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

bool Simulation::done() const { return impl_->phase == Impl::Phase::Done; }

bool Simulation::step() {
  Impl& m = *impl_;
  BuildResult& r = *m.r;
  switch (m.phase) {
    case Impl::Phase::Start: {
      const Analysis& a = *r.analysis;
      r.diagnostics = a.diagnostics;
      if (a.program.stages.empty()) {
        // Nothing to build, but the context is still read as a build would send it (the checks
        // and the context panel read its .dockerignore and walk).
        if (a.context) detail::send_context(a, *a.context, r);
        else r.ignore = std::make_shared<context::IgnoreFile>();
        r.ok = false;
        if (!r.diagnostics.has_errors())
          r.diagnostics.error(Range{}, "build/no-stage", "the Dockerfile has no FROM instruction");
        m.phase = Impl::Phase::Done;
        return false;
      }
      if (r.diagnostics.has_errors()) r.ok = false;
      m.builder.emplace(a, m.nonce, m.run_cache, r);  // the .dockerignore and the context summary
      m.builder->prepare();
      m.phase = Impl::Phase::Stages;
      return true;
    }
    case Impl::Phase::Stages:
      if (m.builder->simulate_next()) return true;
      m.phase = Impl::Phase::Finish;
      [[fallthrough]];
    case Impl::Phase::Finish:
      m.builder->complete();
      m.builder.reset();
      if (r.diagnostics.has_errors()) r.ok = false;
      m.phase = Impl::Phase::Done;
      return false;
    case Impl::Phase::Done:
      return false;
  }
  return false;
}

std::unique_ptr<BuildResult> Simulation::take() {
  while (step()) {
  }
  return std::move(impl_->r);
}

std::unique_ptr<BuildResult> simulate_build(std::shared_ptr<const Analysis> analysis, uint64_t nonce,
                                            RunCache* run_cache) {
  return Simulation(std::move(analysis), nonce, run_cache).take();
}

}  // namespace dfplay::sim
