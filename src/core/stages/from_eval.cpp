// The FROM lines in BuildKit's lint scope (eval.h: FromEval, FromScope), for the checks' FROM
// rules: expanded here once, read there.
#include <string>
#include <unordered_map>

#include "pipeline_limits.h"
#include "stages/eval.h"

namespace dfplay::stages {
namespace {

// expand_word in one fixed environment, each distinct word once: files repeat their FROM words
// (`FROM ${BASE}:${TAG} AS stageN`). A repeated word takes the first result and charges the
// budget what the first expansion cost (the work is the same for the same word and environment);
// unless more than that is left, it is expanded again, so the result is always the same as
// expanding every word.
class WordCache {
 public:
  WordCache(const shell::Env& env, const shell::Options& opt, uint64_t& budget) : env_(env), opt_(opt), budget_(budget) {}
  shell::Expansion expand(const std::string& word) {
    if (auto it = done_.find(word); it != done_.end() && it->second.cost < budget_) {
      budget_ -= it->second.cost;
      return it->second.x;
    }
    const uint64_t before = budget_;
    shell::Expansion x = shell::expand_word(word, env_, opt_);
    done_.insert_or_assign(word, Done{x, before - budget_});
    return x;
  }

 private:
  struct Done {
    shell::Expansion x;
    uint64_t cost;
  };
  const shell::Env& env_;
  const shell::Options& opt_;
  uint64_t& budget_;
  std::unordered_map<std::string, Done> done_;
};

}  // namespace

void evaluate_from_lines(Evaluation& ev, const ins::Program& program, const Graph& graph,
                         const BuildOptions& options, char escape) {
  FromScope& out = ev.from;
  out.stages.assign(program.stages.size(), FromEval{});
  uint64_t budget = limits::kMaxExpansionBytes;
  shell::Options opt;
  opt.escape = escape;
  opt.shared_budget = &budget;

  // The base words with the global ARGs' defaults only (InvalidDefaultArgInFrom): the first
  // expansion that fails ends them.
  shell::Env defaults;
  for (const auto& [k, v] : platform_args(options)) defaults.set(k, v);
  bool ok = true;
  for (const auto& ins : program.meta_args) {
    const auto* a = ins.as<ins::Arg>();
    if (!a || !ok) continue;
    for (const auto& kv : a->pairs) {
      if (!kv.has_value) continue;
      auto x = shell::expand_word(kv.value.text, defaults, opt);
      if (!x.ok) {
        ok = false;
        break;
      }
      defaults.set(kv.key.text, x.word);
    }
  }
  WordCache with_defaults(defaults, opt, budget);
  for (size_t i = 0; ok && i < program.stages.size(); ++i) {
    auto x = with_defaults.expand(program.stages[i].base().image.text);
    if (!x.ok) break;
    out.stages[i].base_defaults = std::move(x.word);
  }

  // The FROM scope: the base and --platform words of every stage.
  for (const auto& [k, v] : platform_args(options)) out.env.set(k, v);
  for (std::string_view k : {"BUILDOSVERSION", "TARGETOSVERSION", "TARGETSTAGE"}) out.env.set(k, "");
  for (const auto& [k, v] : graph.meta_vars()) out.env.set(k, v);
  WordCache in_scope(out.env, opt, budget);
  for (size_t i = 0; i < program.stages.size(); ++i) {
    const ins::From& from = program.stages[i].base();
    FromEval& fe = out.stages[i];
    fe.base = in_scope.expand(from.image.text);
    if (from.platform) fe.platform = in_scope.expand(from.platform->text);
  }
}

}  // namespace dfplay::stages
