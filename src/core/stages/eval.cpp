#include "stages/eval.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>

#include "context/path.h"
#include "pipeline_limits.h"
#include "shell/expand.h"

namespace dfplay::stages {

const std::string* find_var(const Vars& vars, std::string_view name) {
  for (auto it = vars.rbegin(); it != vars.rend(); ++it)
    if (it->first == name) return &it->second;
  return nullptr;
}

void set_var(Vars& vars, std::string_view name, std::string_view value) {
  for (auto& v : vars)
    if (v.first == name) {
      v.second = std::string(value);
      return;
    }
  vars.emplace_back(std::string(name), std::string(value));
}

namespace {

// BuildKit's system.NormalizeWorkdir: an absolute path is kept as written (`/app/` stays
// `/app/`: the RUN working directory and the image's WorkingDir; only the WORKDIR's mkdir and the
// COPY destinations clean it), a relative one is joined to the previous directory and cleaned.
std::string resolve_workdir(std::string_view wd, std::string_view prev) {
  if (!wd.empty() && wd[0] == '/') return std::string(wd);
  std::string base = prev.empty() ? "/" : std::string(prev);
  return context::clean_path(base + "/" + std::string(wd));  // rooted: Go's path.Clean
}

StageConfig config_from_image(const catalog::Image& img) {
  StageConfig c;
  c.user = img.config.user;
  c.workdir = img.config.workdir;
  for (const auto& e : img.config.env) {
    auto eq = e.find('=');
    if (eq == std::string::npos) set_var(c.env, e, "");
    else set_var(c.env, e.substr(0, eq), e.substr(eq + 1));
  }
  c.entrypoint = img.config.entrypoint;
  c.cmd = img.config.cmd;
  c.exposed_ports = img.config.exposed_ports;
  c.volumes = img.config.volumes;
  c.stop_signal = img.config.stop_signal;
  return c;
}

void add_sorted_unique(std::vector<std::string>& v, std::string s) {
  auto it = std::lower_bound(v.begin(), v.end(), s);
  if (it == v.end() || *it != s) v.insert(it, std::move(s));
}

std::string normalize_port(std::string p) {
  if (p.find('/') == std::string::npos) p += "/tcp";
  return p;
}

class StageEvaluator {
 public:
  StageEvaluator(const Graph& g, const BuildOptions& o, Diagnostics& d, char escape)
      : graph_(g), opts_(o), diags_(d), escape_(escape), platform_(platform_args(o)) {}

  // `parent`: the stage this one is built FROM (its ARGs carry over), or nullptr.
  void run(StageEval& se, const ins::Stage& stage, const StageEval* parent) {
    config_ = se.initial;
    if (config_.shell.empty()) config_.shell = {"/bin/sh", "-c"};
    args_.clear();
    declared_.clear();
    if (parent) {
      args_ = parent->args;
      declared_.insert(parent->declared.begin(), parent->declared.end());
      declared_order_ = parent->declared;
    } else {
      declared_order_.clear();
    }
    cmd_set_ = false;
    env_ = shell::Env{};
    for (const auto& [k, v] : args_)
      if (!find_var(config_.env, k)) env_.set(k, v);
    for (const auto& [k, v] : config_.env) env_.set(k, v);
    env_changed_ = args_changed_ = shell_changed_ = true;
    exhausted_reported_ = variables_reported_ = false;
    se.steps.reserve(stage.commands.size());
    for (const auto& ins : stage.commands) {
      StepEval& st = se.steps.emplace_back();
      st.instruction = &ins;
      st.keyword = ins.keyword;
      // Snapshots of ENV, the ARGs and SHELL, shared until an instruction changes them.
      // (An ARG changes only the ARG snapshot; an ENV both, as ENV shadows ARGs.)
      if (env_changed_ && !env_exhausted_) {
        env_snap_ = Shared<Vars>(config_.env);
        env_bytes_ = bytes_of(config_.env);
        env_changed_ = false;
      }
      if (args_changed_ && !env_exhausted_) {
        // (A hash set of the ENV names: checking each ARG against the list would be quadratic.)
        std::unordered_set<std::string_view> env_names;
        env_names.reserve(config_.env.size());
        for (const auto& kv : config_.env) env_names.insert(kv.first);
        Vars args;
        for (const auto& a : args_)
          if (!env_names.count(a.first)) args.push_back(a);
        args_bytes_ = bytes_of(args);
        args_snap_ = Shared<Vars>(std::move(args));
        args_changed_ = false;
      }
      // Every step carries its environment (RUN hashes it into its cache key and runs with it):
      // the sum over the steps is bounded (limits::kMaxEnvironmentVolume).
      if (!env_exhausted_) {
        env_volume_ += env_bytes_ + args_bytes_;
        if (env_volume_ > limits::kMaxEnvironmentVolume) {
          env_exhausted_ = true;
          env_snap_ = Shared<Vars>();
          args_snap_ = Shared<Vars>();
          env_bytes_ = args_bytes_ = 0;
        }
      }
      if (env_exhausted_ && !exhausted_reported_) {
        exhausted_reported_ = true;
        diags_.error(ins.range(), "limits/environment",
                     fmt::format("the environment of the steps so far adds up to more than {} MiB (ENV and ARG values "
                                 "carried by every step): from here on, the steps see no variables",
                                 limits::kMaxEnvironmentVolume >> 20));
      }
      if (shell_changed_) {
        shell_snap_ = Shared<std::vector<std::string>>(config_.shell);
        shell_changed_ = false;
      }
      st.env = env_snap_;
      st.args = args_snap_;
      for (const auto& [k, v] : opts_.build_args)
        if (is_proxy_arg(k) && !declared_.count(k))
          set_var(st.proxy_args, k, v);
      st.workdir = config_.workdir.empty() ? "/" : config_.workdir;
      st.user = config_.user;
      st.shell = shell_snap_;
      apply(ins, st);
    }
    se.config = std::move(config_);  // config_ and args_ start over with the next stage
    se.args = std::move(args_);
    se.declared = std::move(declared_order_);
  }

 private:
  // The expansion environment: the ARGs with values, then ENV (ENV wins). Kept up to date as
  // ARG and ENV run (see set_env / set_arg) instead of being rebuilt for every word.
  const shell::Env& make_env() const { return env_; }
  // false (and an error at `where`) when k would be one variable too many (limits::kMaxVariables).
  bool room_for(std::string_view k, const Range& where) {
    if (env_.size() < limits::kMaxVariables || env_.contains(k)) return true;
    if (!variables_reported_) {  // once per stage
      variables_reported_ = true;
      diags_.error(where, "limits/variables",
                   fmt::format("more than {} variables (ARG and ENV names) in this stage: `{}` and the new names "
                               "after it are ignored",
                               limits::kMaxVariables, k));
    }
    return false;
  }
  void set_env(std::string_view k, std::string_view v, const Range& where) {
    if (!room_for(k, where)) return;
    set_var(config_.env, k, v);
    env_.set(k, v);
    env_changed_ = args_changed_ = true;
  }
  void set_arg(std::string_view k, std::string_view v, const Range& where) {
    if (!room_for(k, where)) return;
    set_var(args_, k, v);
    if (!find_var(config_.env, k)) env_.set(k, v);
    args_changed_ = true;
  }
  static uint64_t bytes_of(const Vars& vars) {
    uint64_t n = 0;
    for (const auto& [k, v] : vars) n += k.size() + v.size() + 1;
    return n;
  }

  std::string expand(const ins::Word& w, const shell::Env& env, StepEval& st, bool words_mode = false,
                     std::vector<std::string>* split = nullptr, bool skip_quotes = false) {
    if (w.text.find('$') == std::string::npos && w.text.find('\\') == std::string::npos &&
        w.text.find('\'') == std::string::npos && w.text.find('"') == std::string::npos &&
        w.text.find('`') == std::string::npos && !words_mode) {
      return w.text;  // fast path: nothing to process
    }
    shell::Options o;
    o.shared_budget = &expansion_left_;
    o.escape = skip_quotes ? '\\' : escape_;
    o.skip_process_quotes = skip_quotes;
    shell::Expansion e = words_mode ? shell::expand_words(w.text, env, o) : shell::expand_word(w.text, env, o);
    for (const auto& n : e.referenced) {
      if (n.empty()) continue;
      st.refs.push_back(VarRef{n, w.range, !e.is_undefined(n), declared_.count(n) > 0});
    }
    if (!e.ok) {
      if (expansion_left_ == 0) {  // the build's expansion work is used up (shell/expand.h)
        if (expansion_reported_) return w.text;
        expansion_reported_ = true;
        diags_.error(w.range, "limits/expansion",
                     fmt::format("variable expansion needs more than {} MiB of work in this build: `{}` and the words "
                                 "after it are not expanded",
                                 limits::kMaxExpansionBytes >> 20, w.text.substr(0, 40) + (w.text.size() > 40 ? "..." : "")));
      } else {
        diags_.error(w.range, "eval/expand", shell::buildkit_error(w.text, e));
      }
      return w.text;
    }
    if (split) *split = std::move(e.words);
    return e.word;
  }

  void apply(const ins::Instruction& ins, StepEval& st) {
    using namespace ins;
    if (auto* env = ins.as<ins::Env>()) {
      const auto& e = make_env();
      Vars out;
      std::vector<Range> where;
      for (const auto& kv : env->pairs) {
        std::string k = expand(kv.key, e, st);
        std::string v = expand(kv.value, e, st);
        st.keys.push_back(k);
        out.emplace_back(std::move(k), std::move(v));
        where.push_back(kv.key.range);
      }
      for (size_t i = 0; i < out.size(); ++i) set_env(out[i].first, out[i].second, where[i]);
    } else if (auto* arg = ins.as<ins::Arg>()) {
      for (const auto& kv : arg->pairs) {
        const auto& e = make_env();
        const std::string& name = kv.key.text;
        std::optional<std::string> value;
        // A --build-arg replaces the default. The oracle's BuildKit 0.13.2 still expands that
        // default, so an expansion error in it (`${NOPE:?msg}`) fails the build; BuildKit >= 0.14
        // (PR 4856) does not expand it at all. The build follows the oracle; the default's variable
        // references are not recorded (the lint rules, which exist only from 0.14 on, never see them).
        for (const auto& [k, v] : opts_.build_args)
          if (k == name) value = v;
        if (value && kv.has_value) {
          StepEval unused;
          (void)expand(kv.value, e, unused);
        }
        if (!value && kv.has_value) value = expand(kv.value, e, st);
        if (!value) {
          if (auto it = meta_values().find(name); it != meta_values().end()) value = *it->second;
        }
        if (!value) {
          for (const auto& [k, v] : platform_)
            if (k == name) value = v;
        }
        if (declared_.insert(name).second) declared_order_.push_back(name);
        if (value) set_arg(name, *value, kv.key.range);
      }
    } else if (auto* label = ins.as<ins::Label>()) {
      const auto& e = make_env();
      for (const auto& kv : label->pairs) config_.labels[expand(kv.key, e, st)] = expand(kv.value, e, st);
    } else if (auto* wd = ins.as<ins::Workdir>()) {
      const auto& e = make_env();
      st.path = expand(wd->path, e, st);
      std::string resolved = resolve_workdir(st.path, config_.workdir);
      if (resolved.size() > limits::kMaxPathBytes) {
        diags_.error(wd->path.range, "limits/path-length",
                     fmt::format("the working directory would be {} bytes long, over the limit of {} (PATH_MAX): "
                                 "the previous one is kept",
                                 resolved.size(), limits::kMaxPathBytes));
        resolved = config_.workdir.empty() ? "/" : config_.workdir;
      }
      st.value = std::move(resolved);
      config_.workdir = st.value;
    } else if (auto* user = ins.as<ins::User>()) {
      const auto& e = make_env();
      st.value = expand(user->user, e, st);
      config_.user = st.value;
    } else if (auto* vol = ins.as<ins::Volume>()) {
      const auto& e = make_env();
      for (const auto& w : vol->paths) {
        std::string p = expand(w, e, st);
        st.words.push_back(p);
        st.word_ranges.push_back(w.range);
        add_sorted_unique(config_.volumes, p);
      }
    } else if (auto* sig = ins.as<ins::StopSignal>()) {
      const auto& e = make_env();
      st.value = expand(sig->signal, e, st);
      config_.stop_signal = st.value;
    } else if (auto* ex = ins.as<ins::Expose>()) {
      const auto& e = make_env();
      for (const auto& w : ex->ports) {
        std::vector<std::string> parts;
        expand(w, e, st, true, &parts);
        for (auto& p : parts) {
          st.words.push_back(p);
          st.word_ranges.push_back(w.range);
          add_sorted_unique(config_.exposed_ports, normalize_port(p));
        }
      }
    } else if (auto* cp = ins.as<ins::Copy>()) {
      expand_copy(*cp, st);
    } else if (auto* add = ins.as<ins::Add>()) {
      expand_copy(*add, st);
    } else if (auto* run = ins.as<ins::Run>()) {
      const auto& e = make_env();
      for (const auto& m : run->mounts) {
        ExpandedMount em;
        em.type = m.type;
        em.sharing = m.sharing;
        em.sharing_set = m.sharing_set;
        em.readonly = m.readonly;
        em.spec = m.spec;
        auto ex = [&](const std::string& s) {
          if (s.find('$') == std::string::npos) return s;
          return expand(ins::Word{s, m.range}, e, st);
        };
        em.from = ex(m.from);
        em.source = ex(m.source);
        em.target = ex(m.target);
        em.id = ex(m.id);
        em.env = ex(m.env);
        st.mounts.push_back(std::move(em));
      }
    } else if (auto* cmd = ins.as<ins::Cmd>()) {
      config_.cmd = command_line(*cmd);
      cmd_set_ = true;
    } else if (auto* ep = ins.as<ins::Entrypoint>()) {
      config_.entrypoint = command_line(*ep);
      if (!cmd_set_) config_.cmd.clear();
    } else if (auto* hc = ins.as<ins::Healthcheck>()) {
      HealthConfig h;
      h.test = hc->test;
      h.interval_ns = hc->interval_ns;
      h.timeout_ns = hc->timeout_ns;
      h.start_period_ns = hc->start_period_ns;
      h.start_interval_ns = hc->start_interval_ns;
      h.retries = hc->retries;
      config_.healthcheck = h;
    } else if (auto* sh = ins.as<ins::Shell>()) {
      config_.shell.clear();
      for (const auto& w : sh->args) config_.shell.push_back(w.text);
      shell_changed_ = true;
    } else if (auto* ob = ins.as<ins::Onbuild>()) {
      config_.onbuild.push_back(ob->expression);
    }
  }

  std::vector<std::string> command_line(const ins::ShellCommandLine& c) const {
    std::vector<std::string> out;
    if (c.json) {
      for (const auto& w : c.args) out.push_back(w.text);
    } else {
      out = config_.shell;
      std::string line;
      for (const auto& w : c.args) {
        if (!line.empty()) line += ' ';
        line += w.text;
      }
      out.push_back(line);
    }
    return out;
  }

  void expand_copy(const ins::Copy& cp, StepEval& st) {
    const auto& e = make_env();
    // BuildKit's order (Copy/AddCommand.Expand): --chown, --checksum, sources, destination.
    if (cp.chown) st.chown = expand(*cp.chown, e, st);
    if (cp.checksum) st.checksum = expand(*cp.checksum, e, st);
    for (const auto& w : cp.sources) {
      st.words.push_back(expand(w, e, st));
      st.word_ranges.push_back(w.range);
    }
    st.dest = expand(cp.dest, e, st);
    if (st.dest.size() > limits::kMaxPathBytes) {
      diags_.error(cp.dest.range, "limits/path-length",
                   fmt::format("the destination is {} bytes long, over the limit of {} (PATH_MAX)", st.dest.size(),
                               limits::kMaxPathBytes));
      st.dest = "/";
    }
    if (cp.chmod) st.chmod = expand(*cp.chmod, e, st);
    if (cp.from) st.from = expand(*cp.from, e, st);
    for (const auto& x : cp.excludes) st.excludes.push_back(expand(x, e, st));
    for (const auto& s : cp.inline_sources) {
      ins::InlineSource is = s;
      if (s.expand) is.content = expand(ins::Word{s.content, cp.dest.range}, e, st, false, nullptr, true);
      st.inline_sources.push_back(std::move(is));
    }
  }

  const Graph& graph_;
  const BuildOptions& opts_;
  Diagnostics& diags_;
  char escape_;
  const Vars platform_;  // the predefined platform ARGs
  StageConfig config_;
  Vars args_;
  std::unordered_set<std::string> declared_;
  std::vector<std::string> declared_order_;  // declared_ in declaration order (StageEval::declared)
  // The global ARGs' values by name (the last one with a value wins), built on first use.
  const std::unordered_map<std::string_view, const std::string*>& meta_values() {
    if (!meta_index_built_) {
      for (const auto& m : graph_.meta_args)
        if (m.value) meta_index_[m.name] = &*m.value;
      meta_index_built_ = true;
    }
    return meta_index_;
  }
  std::unordered_map<std::string_view, const std::string*> meta_index_;
  bool meta_index_built_ = false;
  bool cmd_set_ = false;
  shell::Env env_;  // see make_env
  bool env_changed_ = true, args_changed_ = true, shell_changed_ = true;
  Shared<Vars> env_snap_, args_snap_;
  // Limits (limits.h): the environment volume and the expansion output of the whole build.
  uint64_t env_bytes_ = 0, args_bytes_ = 0, env_volume_ = 0;
  bool env_exhausted_ = false, exhausted_reported_ = false, variables_reported_ = false;
  uint64_t expansion_left_ = limits::kMaxExpansionBytes;
  bool expansion_reported_ = false;
  Shared<std::vector<std::string>> shell_snap_;
};

}  // namespace

struct EvaluationJob::State {
  State(const ins::Program& p, const Graph& g, const BuildOptions& o, const catalog::Catalog& c, char e)
      : program(p), graph(g), options(o), catalog(c), escape(e), evaluator(g, o, ev.diagnostics, e) {
    ev.stages.resize(program.stages.size());
  }
  const ins::Program& program;
  const Graph& graph;
  const BuildOptions& options;
  const catalog::Catalog& catalog;
  char escape;
  Evaluation ev;              // (before the evaluator, which writes into its diagnostics)
  StageEvaluator evaluator;
  // Base images by reference: stages that name the same image share one resolution.
  std::map<std::string, Shared<catalog::Resolution>, std::less<>> bases;
  size_t next = 0;  // the next stage
  bool done = false;

  void stage(size_t i) {
    StageEval& se = ev.stages[i];
    const StageEval* parent = nullptr;
    se.index = i;
    se.name = program.stages[i].name();
    const StageNode* node = i < graph.stages.size() ? &graph.stages[i] : nullptr;
    if (node && node->base_kind == BaseKind::Stage && node->base_stage < i) {
      se.from_stage = true;
      se.base_stage = node->base_stage;
      se.initial = ev.stages[node->base_stage].config;
      parent = &ev.stages[node->base_stage];
    } else {
      std::string ref = node ? node->base_ref : program.stages[i].base().image.text;
      if (node && node->base_kind == BaseKind::Scratch) ref = "scratch";
      auto known = bases.find(ref);
      if (known == bases.end()) known = bases.emplace(ref, Shared<catalog::Resolution>(catalog.lookup(ref))).first;
      se.base = known->second;
      se.initial = config_from_image(se.base->image);
      if (!find_var(se.initial.env, "PATH")) se.initial.env.insert(se.initial.env.begin(), {"PATH", kDefaultPath});
    }
    evaluator.run(se, program.stages[i], parent);
  }
};

EvaluationJob::EvaluationJob(const ins::Program& program, const Graph& graph, const BuildOptions& options,
                             const catalog::Catalog& catalog, char escape)
    : s_(std::make_unique<State>(program, graph, options, catalog, escape)) {}

EvaluationJob::~EvaluationJob() = default;

bool EvaluationJob::step(size_t stages) {
  State& s = *s_;
  if (s.done) return true;
  const size_t end = s.next + std::min(stages, s.program.stages.size() - s.next);
  for (; s.next < end; ++s.next) s.stage(s.next);
  if (s.next < s.program.stages.size()) return false;
  evaluate_from_lines(s.ev, s.program, s.graph, s.options, s.escape);
  s.done = true;
  return true;
}

Evaluation EvaluationJob::take() {
  while (!step(SIZE_MAX)) {
  }
  return std::move(s_->ev);
}

Evaluation evaluate(const ins::Program& program, const Graph& graph, const BuildOptions& options,
                    const catalog::Catalog& catalog, char escape) {
  EvaluationJob job(program, graph, options, catalog, escape);
  return job.take();
}

}  // namespace dfplay::stages
