// BuildKit's build checks, in the order BuildKit evaluates them (docs/checks.md, section 1):
// parse, instruction parsing, stage list, per-stage base, base image resolution, dispatch.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "catalog/reference.h"
#include "checks/engine_internal.h"
#include "syntax/ascii.h"

namespace dfplay::checks::detail {
namespace {

using syntax::Keyword;

Range line_start_range(Position p, Position end) {
  Range r;
  r.begin = {p.line, 1, p.offset >= p.column - 1 ? p.offset - (p.column - 1) : 0};
  r.end = end;
  return r;
}

// The stage index of every AST node (npos before the first FROM).
std::vector<size_t> stage_of_nodes(const syntax::Dockerfile& df) {
  std::vector<size_t> out(df.nodes.size(), stages::npos);
  size_t stage = stages::npos;
  for (size_t i = 0; i < df.nodes.size(); ++i) {
    if (df.nodes[i].keyword == Keyword::From) stage = stage == stages::npos ? 0 : stage + 1;
    out[i] = stage;
  }
  return out;
}

// ---- parse ---------------------------------------------------------------------------------

void no_empty_continuation(Engine& e) {
  const auto& nodes = e.df.nodes;
  size_t last_node = SIZE_MAX;
  for (const auto& r : e.df.empty_continuation_lines) {
    // The node whose range contains the empty line (nodes are in file order).
    auto it = std::upper_bound(nodes.begin(), nodes.end(), r.begin.offset,
                               [](uint32_t off, const syntax::Node& n) { return off < n.range.begin.offset; });
    if (it == nodes.begin()) continue;
    --it;
    size_t idx = static_cast<size_t>(it - nodes.begin());
    if (idx == last_node) continue;
    last_node = idx;
    const syntax::Node& n = *it;
    Range loc;
    if (!n.heredocs.empty()) {
      const auto& op = n.heredocs.back().opener_range;
      loc = line_start_range(op.begin, op.end);
    } else {
      loc = line_start_range(n.range.end, n.range.end);
    }
    e.emit(RuleId::NoEmptyContinuation, loc, msg_no_empty_continuation());
  }
}

// ---- instruction parsing -------------------------------------------------------------------

void instruction_rules(Engine& e, const std::vector<size_t>& stage_of) {
  for (size_t i = 0; i < e.df.nodes.size(); ++i) {
    const syntax::Node& n = e.df.nodes[i];
    std::string stage = e.stage_label(stage_of[i]);
    if (n.keyword == Keyword::From) {
      if (n.args.size() == 3 && stage_name_not_lowercase(n.args[2].text))
        e.emit(RuleId::StageNameCasing, n.range, msg_stage_name_casing(n.args[2].text), stage);
      if (n.args.size() >= 3 && from_as_casing_mismatch(n.keyword_text, n.args[1].text))
        e.emit(RuleId::FromAsCasing, n.range, msg_from_as_casing(n.keyword_text, n.args[1].text), stage);
      if (n.args.size() == 3) {
        std::vector<std::string> keys{syntax::ascii_lower(n.args[2].text)};
        if (auto m = check_definition_description("FROM", keys, n.comments))
          e.emit(RuleId::InvalidDefinitionDescription, n.range, *m, stage);
      }
    } else if (n.keyword == Keyword::Maintainer) {
      e.emit(RuleId::MaintainerDeprecated, n.range, msg_maintainer_deprecated(), stage);
    } else if (n.keyword == Keyword::Arg) {
      std::vector<std::string> keys;
      for (const auto& w : n.args) keys.push_back(w.text.substr(0, w.text.find('=')));
      if (auto m = check_definition_description("ARG", keys, n.comments))
        e.emit(RuleId::InvalidDefinitionDescription, n.range, *m, stage);
    }
  }
}

// ---- over the stage list -------------------------------------------------------------------

void stage_list_rules(Engine& e, const std::vector<size_t>& stage_of) {
  std::unordered_set<std::string> seen;
  for (const auto& st : e.program.stages) {
    const auto& name = st.name();
    if (name.empty()) continue;
    std::string label = e.stage_label(st.index);
    if (is_reserved_stage_name(name))
      e.emit(RuleId::ReservedStageName, st.from.range(), msg_reserved_stage_name(name), label);
    if (!seen.insert(name).second)
      e.emit(RuleId::DuplicateStageName, st.from.range(), msg_duplicate_stage_name(name), label);
  }

  // ConsistentInstructionCasing: keywords of the nodes inside stages.
  CasingMajority casing;
  for (size_t i = 0; i < e.df.nodes.size(); ++i)
    if (stage_of[i] != stages::npos) casing.add(e.df.nodes[i].keyword_text);
  for (size_t i = 0; i < e.df.nodes.size(); ++i) {
    if (stage_of[i] == stages::npos) continue;
    const auto& n = e.df.nodes[i];
    if (auto m = casing.check(n.keyword_text))
      e.emit(RuleId::ConsistentInstructionCasing, n.range, *m, e.stage_label(stage_of[i]));
  }

  // InvalidDefaultArgInFrom: FROM expanded with the global ARGs' defaults only (the evaluation's
  // record; none once an expansion failed: BuildKit abandons the rule).
  const auto& from = e.eval.from.stages;
  for (const auto& st : e.program.stages) {
    if (st.index >= from.size() || !from[st.index].base_defaults) return;
    if (!catalog::parse_reference(*from[st.index].base_defaults))
      e.emit(RuleId::InvalidDefaultArgInFrom, st.from.range(), msg_invalid_default_arg_in_from(st.base().image.text),
             e.stage_label(st.index));
  }
}

// ---- per stage base ------------------------------------------------------------------------

void stage_base_rules(Engine& e) {
  // The FROM words as the evaluation expanded them (stages::FromEval), in its FROM scope.
  const stages::FromScope& scope = e.eval.from;
  const shell::Env& env = scope.env;
  std::unordered_set<std::string> declared;
  std::vector<std::string> options;  // suggestions: declared global ARGs, then the scope
  for (const auto& m : e.graph.meta_args)
    if (declared.insert(m.name).second) options.push_back(m.name);
  for (const auto& [k, v] : env.entries())
    if (!declared.count(k)) options.push_back(k);
  const std::string* target_platform = env.find("TARGETPLATFORM");

  auto undefined_in = [&](const shell::Expansion& x, Range r, const std::string& label) {
    for (const auto& name : x.undefined) {
      if (declared.count(name)) continue;
      e.emit(RuleId::UndefinedArgInFrom, r, msg_undefined_arg_in_from(name, suggest(name, options)), label);
    }
  };

  for (const auto& st : e.program.stages) {
    const auto& from = st.base();
    std::string label = e.stage_label(st.index);
    Range r = st.from.range();
    if (st.index >= scope.stages.size()) return;
    const stages::FromEval& fe = scope.stages[st.index];
    const shell::Expansion& base = fe.base;
    undefined_in(base, r, label);
    if (!base.ok) {
      e.build_error = shell::buildkit_error(from.image.text, base);
      e.stop_dispatch = true;
      return;
    }
    if (base.word.empty()) {
      e.build_error = fmt::format("base name ({}) should not be blank", from.image.text);
      e.stop_dispatch = true;
      return;
    }
    if (!from.platform) continue;
    const std::string& pw = from.platform->text;
    if (!fe.platform) continue;
    const shell::Expansion& plat = *fe.platform;
    undefined_in(plat, r, label);
    if (!plat.ok) {
      e.build_error = shell::buildkit_error(pw, plat);
      e.stop_dispatch = true;
      return;
    }
    if (plat.referenced.size() == 1 && plat.referenced[0] == "TARGETPLATFORM" && plat.undefined.empty() &&
        target_platform && plat.word == *target_platform)
      e.emit(RuleId::RedundantTargetPlatform, r, msg_redundant_target_platform(pw), label);
    if (plat.word.empty()) {
      std::string msg = fmt::format("empty platform value from expression {}", pw);
      if (!plat.undefined.empty())
        if (auto s = suggest(plat.undefined[0], options); !s.empty()) msg += fmt::format(" (did you mean {}?)", s);
      e.build_error = msg;
      e.stop_dispatch = true;
      return;
    }
    auto parsed = stages::Platform::parse(plat.word);
    if (!parsed) {
      e.build_error = fmt::format("failed to parse platform {}: \"{}\": unknown operating system or architecture: invalid argument", pw, plat.word);
      e.stop_dispatch = true;
      return;
    }
    if (plat.referenced.empty()) {
      std::string n = catalog::normalize_platform(plat.word);
      std::string os = parsed->os, arch = parsed->arch;
      if (!n.empty()) {
        if (auto p2 = stages::Platform::parse(n)) os = p2->os, arch = p2->arch;
      }
      if (!const_platform_exempt(from.stage_name, os, arch))
        e.emit(RuleId::FromPlatformFlagConstDisallowed, r, msg_from_platform_flag_const_disallowed(plat.word),
               label);
    }
  }
}

bool dispatched(const Engine& e, size_t i) {
  return !e.target_given() || e.graph.stages[i].built;
}

// os/arch of a platform string, normalised ("" when unparsable).
std::pair<std::string, std::string> os_arch(std::string_view p) {
  std::string n = catalog::normalize_platform(p);
  auto parsed = stages::Platform::parse(n.empty() ? p : std::string_view(n));
  if (!parsed) return {};
  return {parsed->os, parsed->arch};
}

void base_image_rules(Engine& e) {
  // os_arch of each platform string met, worked out once: the stages of a big file share a few
  // bases, each listing several platforms (it was 4 % of an edit's analysis of big.Dockerfile).
  std::unordered_map<std::string, std::pair<std::string, std::string>> parsed;
  auto os_arch_of = [&](const std::string& p) -> const std::pair<std::string, std::string>& {
    auto it = parsed.find(p);
    if (it == parsed.end()) it = parsed.emplace(p, os_arch(p)).first;
    return it->second;
  };
  const auto build = os_arch(e.options.build_platform);
  for (const auto& n : e.graph.stages) {
    if (!dispatched(e, n.index) || n.base_kind != stages::BaseKind::Image) continue;
    auto facts = e.image_facts(n.base_ref);
    if (!facts || facts->platforms.empty()) continue;
    bool explicit_platform = !n.platform.empty() || e.options.explicit_platform();
    const std::string& expected = !n.platform.empty()            ? n.platform
                                  : e.options.explicit_platform() ? e.options.platform
                                                                  : e.options.build_platform;
    const auto& want = os_arch_of(expected);
    if (!explicit_platform) {
      bool adopt = false;
      for (const auto& p : facts->platforms)
        if (os_arch_of(p) == build) adopt = true;
      if (adopt) continue;
    }
    bool ok = false;
    for (const auto& p : facts->platforms)
      if (os_arch_of(p) == want) ok = true;
    if (ok || facts->platforms.size() != 1) continue;
    std::string actual = catalog::normalize_platform(facts->platforms[0]);
    if (actual.empty()) actual = facts->platforms[0];
    std::string exp = catalog::normalize_platform(expected);
    if (exp.empty()) exp = expected;
    e.emit(RuleId::InvalidBaseImagePlatform, n.stage->from.range(),
           msg_invalid_base_image_platform(n.base_ref, exp, actual), e.stage_label(n.index));
  }
}

// ---- dispatch: the evaluation's records, step by step ------------------------------------
//
// BuildKit's dispatch-time rules read what stages/eval.cpp worked out once for the analysis: the
// variables each word referenced (and whether they were defined or declared), the expanded
// words and the ENV in effect. Nothing is expanded here.

// What a stage built `FROM <stage>` inherits from the chain below it (dispatchState.init).
struct ChainFacts {
  bool shell_set = false;    // SHELL in the chain, or a shell in the base image's config
  bool workdir_set = false;  // a WORKDIR was dispatched in the chain
};

// The names in effect at a step (ENV, then the ARGs ENV does not shadow): UndefinedVar's
// suggestions.
std::vector<std::string> names_in_effect(const stages::StepEval& st) {
  std::vector<std::string> keys;
  keys.reserve(st.env.size() + st.args.size());
  for (const auto& kv : st.env) keys.push_back(kv.first);
  for (const auto& kv : st.args) keys.push_back(kv.first);
  return keys;
}

// Whether BuildKit passes the word at `r` of this step through its reporting expander (the
// instruction's Expand): EXPOSE is expanded by dispatchExpose without reporting, COPY/ADD's
// --chmod, --from and --exclude outside Expand.
bool reports_undefined(const stages::StepEval& st, const Range& r) {
  if (st.keyword == ins::Keyword::Expose) return false;
  if (const auto* c = st.instruction ? st.instruction->as<ins::Copy>() : nullptr) {
    if (c->chmod && c->chmod->range == r) return false;
    if (c->from && c->from->range == r) return false;
    for (const auto& x : c->excludes)
      if (x.range == r) return false;
  }
  return true;
}

struct StepRules {
  Engine& e;
  ChainFacts& chain;
  std::string label;
  const std::unordered_set<uint32_t>& failed_words;  // begin offsets of words whose expansion failed
  std::vector<IgnorePattern> patterns;               // filled lazily
  const ins::Instruction* last_cmd = nullptr;
  const ins::Instruction* last_entrypoint = nullptr;
  const ins::Instruction* last_healthcheck = nullptr;

  // `only`: just the references in that word (an ARG reports per name, after its secret check).
  void undefined_vars(const stages::StepEval& st, Range r, const Range* only = nullptr) {
    std::vector<std::string> keys;
    bool keys_made = false;
    for (const auto& ref : st.refs) {
      if (only && !(ref.range == *only)) continue;
      if (ref.defined || ref.declared || ref.name == "BUILDKIT_SBOM_SCAN_CONTEXT" ||
          ref.name == "BUILDKIT_SBOM_SCAN_STAGE" || !reports_undefined(st, ref.range))
        continue;
      if (!keys_made) keys = names_in_effect(st), keys_made = true;
      e.emit(RuleId::UndefinedVar, r, msg_undefined_var(ref.name, suggest(ref.name, keys)), label);
    }
  }

  void copy_ignored(const stages::StepEval& st, const ins::Copy& c, bool is_add, Range r) {
    if (c.from || !e.ignore || e.ignore->empty() || !e.config.runs(RuleId::CopyIgnoredFile)) return;
    if (patterns.empty())
      for (const auto& rule : e.ignore->rules) {
        IgnorePattern p;
        p.exclusion = rule.exclusion();
        p.pattern = p.exclusion ? rule.pattern.substr(1) : rule.pattern;
        patterns.push_back(std::move(p));
      }
    for (size_t i = 0; i < st.words.size() && i < st.word_ranges.size(); ++i) {
      if (failed_words.count(st.word_ranges[i].begin.offset)) continue;
      const std::string& word = st.words[i];
      if (is_add && (context::is_url(word) || context::is_git_source(word))) continue;
      std::string cleaned = clean_path(word);
      bool ignored = false;
      if (cleaned == "." || cleaned == "/") {
        ignored = copy_source_root_ignored(patterns);
      } else {
        if (copy_source_negated(patterns, cleaned)) continue;
        std::string_view rel = cleaned;
        while (!rel.empty() && rel[0] == '/') rel.remove_prefix(1);
        ignored = e.ignore->matcher.matches_or_parent_matches(rel);
      }
      if (ignored) e.emit(RuleId::CopyIgnoredFile, r, msg_copy_ignored_file(is_add, cleaned), label);
    }
  }

  void multiple(const ins::Instruction*& prev, const ins::Instruction& cur) {
    if (prev)
      e.emit(RuleId::MultipleInstructionsDisallowed, prev->range(),
             msg_multiple_instructions_disallowed(cur.node->keyword_text), label);
    prev = &cur;
  }

  void expose(const stages::StepEval& st, const ins::Expose& ex, Range r) {
    // BuildKit sorts the EXPOSE words as written, then expands each (instructions.parseExpose).
    std::vector<const syntax::Word*> words;
    for (const auto& w : ex.ports) words.push_back(&w);
    std::stable_sort(words.begin(), words.end(),
                     [](const syntax::Word* a, const syntax::Word* b) { return a->text < b->text; });
    for (const syntax::Word* w : words)
      for (size_t i = 0; i < st.words.size() && i < st.word_ranges.size(); ++i) {
        if (!(st.word_ranges[i] == w->range)) continue;
        const std::string& spec = st.words[i];
        auto l = lint_expose_spec(spec);
        if (!l.lintable) continue;
        if (l.proto_casing) e.emit(RuleId::ExposeProtoCasing, r, msg_expose_proto_casing(spec), label);
        if (l.invalid_format) e.emit(RuleId::ExposeInvalidFormat, r, msg_expose_invalid_format(spec), label);
      }
  }

  // `emit`: the stage is dispatched (its rules run); otherwise only the chain facts advance.
  void step(const stages::StepEval& st, bool emit) {
    const ins::Instruction* in = st.instruction;
    if (!in || !in->node) return;
    if (!emit) {
      if (in->as<ins::Workdir>()) chain.workdir_set = true;
      if (in->as<ins::Shell>()) chain.shell_set = true;
      return;
    }
    Range r = in->range();
    const syntax::Node* node = in->node;
    const auto* arg = in->as<ins::Arg>();
    // Every instruction but ARG has its words expanded (and undefined names reported) before its
    // own rules run; ARG checks each name for secrets before expanding its default.
    if (!arg) undefined_vars(st, r);
    if (arg) {
      for (const auto& kv : arg->pairs) {
        if (is_secret_key(kv.key.text))
          e.emit(RuleId::SecretsUsedInArgOrEnv, r, msg_secrets_used_in_arg_or_env("ARG", kv.key.text), label);
        if (kv.has_value) undefined_vars(st, r, &kv.value.range);
      }
    } else if (const auto* env = in->as<ins::Env>()) {
      if (!env->pairs.empty() && env->pairs[0].legacy)
        e.emit(RuleId::LegacyKeyValueFormat, r, msg_legacy_key_value_format(node->keyword_text), label);
      for (const auto& k : st.keys)
        if (is_secret_key(k)) e.emit(RuleId::SecretsUsedInArgOrEnv, r, msg_secrets_used_in_arg_or_env("ENV", k), label);
    } else if (const auto* lab = in->as<ins::Label>()) {
      if (!lab->pairs.empty() && lab->pairs[0].legacy)
        e.emit(RuleId::LegacyKeyValueFormat, r, msg_legacy_key_value_format(node->keyword_text), label);
    } else if (in->as<ins::Workdir>()) {
      if (!chain.workdir_set && is_relative_workdir(st.path))
        e.emit(RuleId::WorkdirRelativePath, r, msg_workdir_relative_path(st.path), label);
      chain.workdir_set = true;
    } else if (const auto* a = in->as<ins::Add>()) {
      copy_ignored(st, *a, true, r);
    } else if (const auto* c = in->as<ins::Copy>()) {
      copy_ignored(st, *c, false, r);
    } else if (const auto* cmd = in->as<ins::Cmd>()) {
      if (!cmd->json && !chain.shell_set)
        e.emit(RuleId::JSONArgsRecommended, r, msg_json_args_recommended(node->keyword_text), label);
      multiple(last_cmd, *in);
    } else if (const auto* ep = in->as<ins::Entrypoint>()) {
      if (!ep->json && !chain.shell_set)
        e.emit(RuleId::JSONArgsRecommended, r, msg_json_args_recommended(node->keyword_text), label);
      multiple(last_entrypoint, *in);
    } else if (in->as<ins::Healthcheck>()) {
      multiple(last_healthcheck, *in);
    } else if (in->as<ins::Shell>()) {
      chain.shell_set = true;
    } else if (const auto* ex = in->as<ins::Expose>()) {
      expose(st, *ex, r);
    }
  }
};

void dispatch(Engine& e) {
  std::unordered_set<uint32_t> failed_words;
  for (const auto& d : e.eval.diagnostics)
    if (d.code == "eval/expand" || d.code == "limits/expansion") failed_words.insert(d.range.begin.offset);
  std::vector<ChainFacts> chains(e.graph.stages.size());
  for (const auto& n : e.graph.stages) {
    if (n.index >= e.eval.stages.size()) break;
    ChainFacts& chain = chains[n.index];
    if (n.base_kind == stages::BaseKind::Stage && n.base_stage < n.index) {
      chain = chains[n.base_stage];
    } else if (n.base_kind == stages::BaseKind::Image) {
      if (auto facts = e.image_facts(n.base_ref)) chain.shell_set = facts->has_shell_config;
    }
    bool emit = dispatched(e, n.index);
    StepRules rules{e, chain, e.stage_label(n.index), failed_words, {}};
    for (const auto& st : e.eval.stages[n.index].steps) rules.step(st, emit);
  }
}

}  // namespace

void run_buildkit_checks(Engine& e) {
  auto stage_of = stage_of_nodes(e.df);
  no_empty_continuation(e);
  instruction_rules(e, stage_of);
  stage_list_rules(e, stage_of);
  stage_base_rules(e);
  if (e.stop_dispatch) return;
  base_image_rules(e);
  dispatch(e);
}

}  // namespace dfplay::checks::detail
