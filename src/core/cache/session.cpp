#include "cache/session.h"
#include "syntax/ascii.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace dfplay::cache {

std::string_view status_name(Status s) {
  switch (s) {
    case Status::Cached: return "cached";
    case Status::Run: return "run";
    case Status::Skipped: return "skipped";
  }
  return "?";
}

namespace {

// A USER value in a reason: `"app"`, or `root (default)` when no USER is set.
std::string user_words(const std::string& user) {
  return user.empty() ? "root (default)" : fmt::format("\"{}\"", user);
}

// "COPY dest=/app chown= ..." -> the value of `name=` (up to the next " x=" token).
std::string op_field(const std::string& op, std::string_view name) {
  std::string key = " " + std::string(name) + "=";
  auto p = op.find(key);
  if (p == std::string::npos) return {};
  p += key.size();
  auto e = op.find(' ', p);
  return op.substr(p, e == std::string::npos ? std::string::npos : e - p);
}


void diff_inputs(const std::vector<std::pair<std::string, uint64_t>>& before,
                 const std::vector<std::pair<std::string, uint64_t>>& after, Reason& r) {
  std::map<std::string, uint64_t> b(before.begin(), before.end()), a(after.begin(), after.end());
  bool added = false, removed = false, modified = false;
  for (const auto& [p, id] : a) {
    auto it = b.find(p);
    if (it == b.end()) r.paths.push_back(p), added = true;
    else if (it->second != id) r.paths.push_back(p), modified = true;
  }
  for (const auto& [p, id] : b)
    if (!a.count(p)) r.paths.push_back(p), removed = true;
  int n = added + removed + modified;
  if (n == 1) r.change = added ? "added" : removed ? "removed" : "modified";
  else if (n > 1) r.change = "several";
}

// The key parts a Record keeps of a RUN: all but the operation text (a hash stands for it).
sim::KeyParts run_parts_without_op(const sim::KeyParts& k) {
  sim::KeyParts p;
  p.env = k.env;
  p.arg_names = k.arg_names;
  p.user = k.user;
  p.workdir = k.workdir;
  p.shell = k.shell;
  p.mounts = k.mounts;
  p.input_from = k.input_from;
  p.inputs = k.inputs;
  p.base_ref = k.base_ref;
  p.base_digest = k.base_digest;
  return p;
}

// A RUN whose environment (ENV and build args, in order) differs from the earlier one's: the
// first variable that changed, or the order when the same variables moved.
Reason env_changed_reason(const sim::KeyParts& a, const sim::KeyParts& p) {
  Reason r;
  std::map<std::string, std::string> eb(p.env.begin(), p.env.end()), ea(a.env.begin(), a.env.end());
  std::string name;
  for (const auto& [k, v] : ea)
    if (!eb.count(k) || eb[k] != v) { name = k; break; }
  if (name.empty())
    for (const auto& [k, v] : eb)
      if (!ea.count(k)) { name = k; break; }
  if (name.empty()) {
    // Same variables and values in another order (ENV A=1 B=2 -> ENV B=2 A=1): the
    // environment list is part of the key, so the order counts. Name what moved.
    std::vector<std::string> before, after, moved;
    for (const auto& kv : p.env.get()) before.push_back(kv.first);
    for (const auto& kv : a.env.get()) after.push_back(kv.first);
    for (size_t i = 0; i < after.size(); ++i)
      if (i >= before.size() || before[i] != after[i]) moved.push_back(after[i]);
    r.kind = "env-changed";
    r.name = fmt::format("{}", fmt::join(moved, ", "));
    r.before = fmt::format("{}", fmt::join(before, ", "));
    r.after = fmt::format("{}", fmt::join(after, ", "));
    r.message = fmt::format("order of the environment changed ({} moved): {} -> {}", r.name, r.before, r.after);
    return r;
  }
  bool is_arg = std::find(a.arg_names.begin(), a.arg_names.end(), name) != a.arg_names.end() ||
                std::find(p.arg_names.begin(), p.arg_names.end(), name) != p.arg_names.end();
  r.kind = is_arg ? "build-arg-changed" : "env-changed";
  r.name = name;
  r.before = eb.count(name) ? eb[name] : "";
  r.after = ea.count(name) ? ea[name] : "";
  r.message = fmt::format("{} {} changed: \"{}\" -> \"{}\"", is_arg ? "build arg" : "ENV", name, r.before, r.after);
  return r;
}

}  // namespace

void Session::clear() {
  gens_.clear();
  size_ = 0;
}

bool Session::has_key(uint64_t key) const {
  for (const auto& g : gens_)
    if (g->keys.count(key)) return true;
  return false;
}

bool Session::has_link_key(uint64_t key) const {
  for (const auto& g : gens_)
    if (g->link_keys.count(key)) return true;
  return false;
}

bool Session::is_warm(const std::string& mount) const {
  for (const auto& g : gens_)
    if (g->warm_mounts.count(mount)) return true;
  return false;
}

const Session::Record* Session::from_record(const std::string& stage) const {
  for (auto g = gens_.rbegin(); g != gens_.rend(); ++g)
    if (auto it = (*g)->from_by_stage.find(stage); it != (*g)->from_by_stage.end()) return &it->second;
  return nullptr;
}

const Session::Record* Session::previous(uint64_t parent_key, const std::string& stage, sim::StepKind kind,
                                         const std::string& text) const {
  // The records after this parent, oldest build first (the first best score wins).
  const Record* best = nullptr;
  int best_score = -1;
  for (const auto& g : gens_) {
    auto it = g->by_parent.find(parent_key);
    if (it == g->by_parent.end()) continue;
    for (const auto& r : it->second) {
      int score = (r.stage == stage) * 4 + (r.kind == kind) * 2 + (r.text == text);
      if (score > best_score) best = &r, best_score = score;
    }
  }
  return best;
}

Reason Session::explain(const sim::BuildResult& b, const sim::Step& st) const {
  if (st.kind == sim::StepKind::From) return from_reason(b, st);
  if (auto r = base_changed_reason(b, st)) return *r;
  const Record* prev = previous(st.parent_key, b.stages[st.stage].label, st.kind, st.text);
  Reason r;
  if (!prev) {
    r.kind = "instruction-changed";
    r.field = "instruction";
    r.message = "no earlier build ran this step after the same parent";
    return r;
  }
  if (prev->kind != st.kind) {
    r.kind = "instruction-changed";
    r.field = "instruction";
    r.message = fmt::format("instruction changed (was line {}: {})", prev->line, prev->text.substr(0, prev->text.find('\n')));
    return r;
  }
  switch (st.kind) {
    case sim::StepKind::Run: return run_reason(st, *prev);
    case sim::StepKind::Copy:
    case sim::StepKind::Add: return copy_reason(st, *prev);
    case sim::StepKind::Workdir: return workdir_reason(st, *prev);
    default: break;
  }
  r.kind = "instruction-changed";
  return r;
}

// A FROM step: its base changed since the stage's last recorded FROM, or it was never built.
Reason Session::from_reason(const sim::BuildResult& b, const sim::Step& st) const {
  Reason r;
  const auto& stage = b.stages[st.stage];
  const Record* was = from_record(stage.label);
  if (was && was->key != st.key) {
    r.kind = "base-image-changed";
    r.before = was->parts.base_ref + "@" + was->parts.base_digest;
    r.after = st.parts.base_ref + "@" + st.parts.base_digest;
    r.message = fmt::format("base image changed: {} -> {}", was->parts.base_ref, st.parts.base_ref);
    if (was->parts.base_ref == st.parts.base_ref) r.message = "base image digest changed (newer base pulled)";
  } else {
    r.kind = "new-step";
    r.message = "base image not in the cache";
  }
  return r;
}

// The first step of a stage whose FROM changed (and is not in the cache): the base is the reason.
std::optional<Reason> Session::base_changed_reason(const sim::BuildResult& b, const sim::Step& st) const {
  if (st.parent_step == SIZE_MAX || b.steps[st.parent_step].kind != sim::StepKind::From) return std::nullopt;
  const auto& fs = b.steps[st.parent_step];
  const Record* was = from_record(b.stages[fs.stage].label);
  if (was && was->key != fs.key && !has_key(fs.key)) {
    Reason r;
    r.kind = "base-image-changed";
    r.before = was->parts.base_ref;
    r.after = fs.parts.base_ref;
    r.message = fmt::format("base image changed: {} -> {}", r.before, r.after);
    if (r.before == r.after) {
      auto short_digest = [](const std::string& d) { return d.substr(0, std::min<size_t>(d.size(), 19)); };
      r.message = fmt::format("base image {} has a new digest ({} -> {}): a newer base was pulled", r.after,
                              short_digest(was->parts.base_digest), short_digest(fs.parts.base_digest));
    }
    return r;
  }
  return std::nullopt;
}

// A RUN after the same parent: its command, SHELL, environment, user, working directory or mounts.
Reason Session::run_reason(const sim::Step& st, const Record& prev) {
  Reason r;
  const auto& a = st.parts;
  const auto& p = prev.parts;
  if (sim::content_hash(a.op) != prev.op_hash) {
    r.kind = a.shell != p.shell && !a.shell.empty() && !p.shell.empty() ? "shell-changed" : "instruction-changed";
    r.field = "command";
    r.before = prev.text;
    r.after = st.text;
    r.message = r.kind == "shell-changed" ? "SHELL changed" : "command changed";
    return r;
  }
  if (a.env != p.env) return env_changed_reason(a, p);
  if (a.user != p.user) {
    r.kind = "user-changed";
    r.before = p.user;
    r.after = a.user;
    r.message = fmt::format("USER changed: {} -> {}", user_words(p.user), user_words(a.user));
    return r;
  }
  if (a.workdir != p.workdir) {
    r.kind = "workdir-changed";
    r.before = p.workdir;
    r.after = a.workdir;
    r.message = fmt::format("working directory changed: {} -> {}", p.workdir, a.workdir);
    return r;
  }
  if (a.mounts != p.mounts) {
    if (a.inputs != p.inputs) {
      r.kind = "mount-content-changed";
      diff_inputs(p.inputs, a.inputs, r);
      r.message = "content of a bind mount changed";
    } else {
      r.kind = "instruction-changed";
      r.field = "--mount";
      r.message = "--mount options changed";
    }
    return r;
  }
  r.kind = "instruction-changed";
  r.field = "command";
  r.message = "RUN options changed";
  return r;
}

// A COPY or ADD after the same parent: its options, a heredoc body, or the files it copies.
Reason Session::copy_reason(const sim::Step& st, const Record& prev) {
  Reason r;
  const auto& a = st.parts;
  const auto& p = prev.parts;
  if (a.op != p.op) {
    r.kind = "instruction-changed";
    for (auto f : {"dest", "chown", "chmod", "from", "link", "sources"}) {
      if (op_field(a.op, f) != op_field(p.op, f)) {
        r.field = std::string(f) == "dest" ? "destination" : std::string(f) == "sources" ? "sources" : "--" + std::string(f);
        break;
      }
    }
    if (r.field.empty()) r.field = "instruction";
    r.before = prev.text;
    r.after = st.text;
    r.message = fmt::format("{} changed", r.field);
    return r;
  }
  diff_inputs(p.inputs, a.inputs, r);
  // A heredoc body is part of the instruction: an edited body is an instruction change.
  if (!r.paths.empty() && std::all_of(r.paths.begin(), r.paths.end(),
                                      [](const std::string& x) { return x.starts_with("<<"); })) {
    r.kind = "instruction-changed";
    r.field = "heredoc";
    r.before = prev.text;
    r.after = st.text;
    r.message = fmt::format("heredoc body changed: {}", fmt::join(r.paths, ", "));
    r.paths.clear();
    return r;
  }
  if (a.input_from == "context") {
    r.kind = "context-files-changed";
    r.message = r.paths.empty() ? "selected context files changed"
                                : fmt::format("context files changed: {}", fmt::join(r.paths, ", "));
  } else {
    r.kind = "stage-output-changed";
    r.from_stage = a.input_from;
    r.message = fmt::format("files copied from {} changed{}{}", a.input_from, r.paths.empty() ? "" : ": ",
                            fmt::join(r.paths, ", "));
  }
  return r;
}

// A WORKDIR after the same parent: its user (the owner of what it creates) or its path.
Reason Session::workdir_reason(const sim::Step& st, const Record& prev) {
  Reason r;
  const auto& a = st.parts;
  const auto& p = prev.parts;
  if (a.user != p.user) {
    r.kind = "user-changed";
    r.before = p.user;
    r.after = a.user;
    r.message = fmt::format("USER changed: {} -> {} (WORKDIR creates its directories owned by the user)",
                            user_words(p.user), user_words(a.user));
  } else {
    r.kind = "instruction-changed";
    r.field = "path";
    r.message = "WORKDIR path changed";
  }
  return r;
}

Report Session::build(const sim::BuildResult& b) {
  Report rep = preview(b);
  record(b);
  return rep;
}

Report Session::preview(const sim::BuildResult& b) const {
  const BuildOptions& options = b.analysis->options;
  Report rep;
  rep.build_number = builds_ + 1;
  rep.steps.resize(b.steps.size());
  std::unordered_map<uint64_t, size_t> seen;  // key -> first step of this build
  seen.reserve(b.steps.size());
  std::vector<size_t> root(b.steps.size(), SIZE_MAX);
  auto no_cache_stage = [&](size_t s) {
    if (options.no_cache) return true;
    const auto& label = b.stages[s].label;
    for (const auto& f : options.no_cache_filter)
      if (syntax::ascii_lower(f) == label || f == std::to_string(s)) return true;
    return false;
  };
  for (size_t i = 0; i < b.steps.size(); ++i) {
    const auto& st = b.steps[i];
    StepReport& sr = rep.steps[i];
    sr.step = i;
    if (!st.built) {
      sr.status = Status::Skipped;
      ++rep.skipped;
      continue;
    }
    auto dup = seen.find(st.key);
    if (dup != seen.end()) {
      const StepReport& o = rep.steps[dup->second];
      sr.status = o.status;
      sr.merged = true;
      sr.seconds = 0;
      root[i] = root[dup->second];
      if (sr.status == Status::Run && st.parent_step != SIZE_MAX && rep.steps[st.parent_step].status == Status::Run) {
        sr.reason = Reason{};
        sr.reason->kind = "parent-missed";
        sr.reason->follows = root[i];
      }
      (sr.status == Status::Cached ? rep.cached : rep.run)++;
      continue;
    }
    seen.emplace(st.key, i);
    bool forced = no_cache_stage(st.stage);
    bool hit = !forced && has_key(st.key);
    // FROM <stage> mirrors its parent stage's last step.
    if (st.kind == sim::StepKind::From && !st.source_stages.empty()) {
      hit = st.parent_step == SIZE_MAX || rep.steps[st.parent_step].status == Status::Cached;
      if (st.parent_step != SIZE_MAX) root[i] = root[st.parent_step];
    }
    sr.status = hit ? Status::Cached : Status::Run;
    if (hit) {
      ++rep.cached;
      continue;
    }
    ++rep.run;
    bool warm = !st.cache_mounts.empty() &&
                std::all_of(st.cache_mounts.begin(), st.cache_mounts.end(), [&](const std::string& m) { return is_warm(m); });
    sr.seconds = warm ? st.seconds_warm : st.seconds;
    if (st.kind == sim::StepKind::Copy && st.link_key && has_link_key(st.link_key) && !forced) {
      sr.link_reused = true;
      sr.seconds = 0.1;
    }
    if (st.kind == sim::StepKind::From && !st.source_stages.empty()) continue;
    bool parent_ran = st.parent_step != SIZE_MAX && rep.steps[st.parent_step].status == Status::Run &&
                      !(b.steps[st.parent_step].kind == sim::StepKind::From && root[st.parent_step] == SIZE_MAX &&
                        b.steps[st.parent_step].source_stages.empty());
    if (st.parent_step != SIZE_MAX && b.steps[st.parent_step].kind == sim::StepKind::From &&
        b.steps[st.parent_step].source_stages.empty())
      parent_ran = false;  // a new base image: this step is the first miss, explained by the base
    if (forced) {
      Reason r;
      r.kind = "no-cache";
      r.message = options.no_cache ? "--no-cache" : "--no-cache-filter";
      sr.reason = r;
      sr.first_miss = !parent_ran;
      root[i] = parent_ran ? root[st.parent_step] : i;
      continue;
    }
    if (parent_ran) {
      root[i] = root[st.parent_step] != SIZE_MAX ? root[st.parent_step] : st.parent_step;
      Reason r;
      r.kind = "parent-missed";
      r.follows = root[i];
      r.message = fmt::format("follows the miss at line {}", b.steps[root[i]].line);
      sr.reason = r;
      continue;
    }
    root[i] = i;
    sr.first_miss = true;
    if (st.kind == sim::StepKind::From) {
      sr.reason = explain(b, st);
      sr.first_miss = false;  // FROM is not compared; the next step carries the reason
      root[i] = SIZE_MAX;
      continue;
    }
    sr.reason = explain(b, st);
  }
  // Times: critical path with this build's step times.
  std::vector<double> finish(b.stages.size(), 0.0);
  for (const auto& level : b.analysis->graph.levels)
    for (size_t s : level) {
      if (s >= b.stages.size()) continue;
      double start = 0;
      for (size_t d : b.stages[s].depends_on)
        if (d < finish.size()) start = std::max(start, finish[d]);
      double own = 0;
      for (size_t id : b.stages[s].steps) own += rep.steps[id].seconds;
      finish[s] = start + own;
      rep.seconds = std::max(rep.seconds, finish[s]);
    }
  rep.cold_seconds = b.cold_seconds;
  rep.saved_seconds = std::max(0.0, rep.cold_seconds - rep.seconds);
  return rep;
}

void Session::record(const sim::BuildResult& b) {
  ++builds_;
  // The new generation holds only what earlier builds do not have already.
  auto g = std::make_shared<Generation>();
  for (const auto& st : b.steps) {
    if (!st.built) continue;
    if (!has_key(st.key) && g->keys.insert(st.key).second) ++size_;
    if (st.link_key && !has_link_key(st.link_key)) g->link_keys.insert(st.link_key);
    for (const auto& m : st.cache_mounts)
      if (!is_warm(m)) g->warm_mounts.insert(m);
    if (st.kind == sim::StepKind::From) {
      const std::string& label = b.stages[st.stage].label;
      const Record* was = from_record(label);
      if (was && was->key == st.key && was->text == st.text && was->line == st.line && was->parts.op == st.parts.op &&
          was->parts.base_ref == st.parts.base_ref && was->parts.base_digest == st.parts.base_digest)
        continue;  // the latest FROM of this stage already says the same
      g->from_by_stage[label] = Record{label, st.kind, st.text, st.line, st.key, st.parts};
      continue;
    }
    // One record per (parent, key) over all builds.
    bool dup = false;
    for (const auto& gen : gens_) {
      if (auto it = gen->by_parent.find(st.parent_key); it != gen->by_parent.end())
        for (const auto& x : it->second) dup = dup || x.key == st.key;
      if (dup) break;
    }
    if (auto it = g->by_parent.find(st.parent_key); !dup && it != g->by_parent.end())
      for (const auto& x : it->second) dup = dup || x.key == st.key;
    if (dup) continue;
    auto& v = g->by_parent[st.parent_key];
    if (st.kind == sim::StepKind::Run)
      v.push_back(Record{b.stages[st.stage].label, st.kind, st.text, st.line, st.key, run_parts_without_op(st.parts),
                         sim::content_hash(st.parts.op)});
    else
      v.push_back(Record{b.stages[st.stage].label, st.kind, st.text, st.line, st.key, st.parts});
  }
  gens_.push_back(std::move(g));
  if (gens_.size() > kMaxGenerations) compact();
}

void Session::compact() {
  auto m = std::make_shared<Generation>();
  for (const auto& g : gens_) {
    m->keys.insert(g->keys.begin(), g->keys.end());
    m->link_keys.insert(g->link_keys.begin(), g->link_keys.end());
    m->warm_mounts.insert(g->warm_mounts.begin(), g->warm_mounts.end());
    for (const auto& [parent, records] : g->by_parent) {
      auto& v = m->by_parent[parent];
      v.insert(v.end(), records.begin(), records.end());
    }
    for (const auto& [stage, rec] : g->from_by_stage) m->from_by_stage[stage] = rec;  // the latest wins
  }
  gens_.assign(1, std::move(m));
}

}  // namespace dfplay::cache
