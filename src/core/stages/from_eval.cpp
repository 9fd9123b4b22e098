// The FROM lines in BuildKit's lint scope (eval.h: FromEval, FromScope), for the checks' FROM
// rules: expanded here once, read there.
#include "pipeline_limits.h"
#include "stages/eval.h"

namespace dfplay::stages {

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
  for (size_t i = 0; ok && i < program.stages.size(); ++i) {
    auto x = shell::expand_word(program.stages[i].base().image.text, defaults, opt);
    if (!x.ok) break;
    out.stages[i].base_defaults = std::move(x.word);
  }

  // The FROM scope: the base and --platform words of every stage.
  for (const auto& [k, v] : platform_args(options)) out.env.set(k, v);
  for (std::string_view k : {"BUILDOSVERSION", "TARGETOSVERSION", "TARGETSTAGE"}) out.env.set(k, "");
  for (const auto& [k, v] : graph.meta_vars()) out.env.set(k, v);
  for (size_t i = 0; i < program.stages.size(); ++i) {
    const ins::From& from = program.stages[i].base();
    FromEval& fe = out.stages[i];
    fe.base = shell::expand_word(from.image.text, out.env, opt);
    if (from.platform) fe.platform = shell::expand_word(from.platform->text, out.env, opt);
  }
}

}  // namespace dfplay::stages
