// simulate_run(): one RUN's effect. The parts live in sim/effects/: the overlay filesystem
// (overlay.cpp), the execution context (context.cpp), the shell interpreter (interpreter.cpp),
// the builtins (builtins.cpp), argument parsing (args.cpp) and one file per tool family.
#include "sim/effects.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects/internal.h"
#include "units.h"

namespace dfplay::sim {

// ====================================================================================
// simulate_run
// ====================================================================================

using namespace detail;

namespace {

void apply_annotation(Ctx& ctx, const Annotation& a) {
  Effect& eff = ctx.eff;
  eff.annotated = true;
  uint64_t key = content_hash("annotation");
  for (const auto& p : a.paths) {
    std::string path = ctx.abs(p.path);
    key = hash_combine(key, path);
    key = hash_combine(key, p.size.value_or(0));
    if (p.kind == AnnotatedPath::Kind::Remove) {
      ctx.fs.remove(path);
      continue;
    }
    std::string src = a.line ? fmt::format("annotation (line {})", a.line) : "annotation";
    if (p.file) {
      FileNode n;
      n.size = p.size.value_or(0);
      n.layer = ctx.layer;
      n.uid = ctx.user.uid;
      n.gid = ctx.user.gid;
      n.source = src;
      n.hash = hash_combine(key, path);
      ctx.fs.put(path, std::move(n));
    } else {
      ctx.put_summary(path, p.size.value_or(0), hash_combine(key, path), src, /*estimated=*/false);
    }
  }
  ctx.recognise("annotation", a.nothing ? "the author states that this step writes nothing"
                                        : fmt::format("the author states {} path(s)", a.paths.size()),
                a.line ? fmt::format("annotation (line {})", a.line) : "annotation");
  ctx.key(key);
}

}  // namespace

Effect simulate_run(const RunInput& in) {
  Effect eff;
  Ctx ctx(in, eff);
  const Annotation* ann = in.annotation;
  if (ann && ann->states_effect()) {
    apply_annotation(ctx, *ann);
  } else {
    bool exec_form = !in.shell_form || !in.exec_args.empty();
    if (exec_form) {
      std::vector<std::string> argv = in.exec_args;
      if (argv.empty()) {
        // Split the joined text on blanks (no shell semantics).
        std::string_view t = in.command;
        size_t i = 0;
        while (i < t.size()) {
          while (i < t.size() && (t[i] == ' ' || t[i] == '\t')) ++i;
          size_t j = i;
          while (j < t.size() && t[j] != ' ' && t[j] != '\t') ++j;
          if (j > i) argv.emplace_back(t.substr(i, j - i));
          i = j;
        }
      }
      if (!argv.empty()) {
        Inv probe;
        probe.argv = argv;
        ctx.key_argv(probe);
        ctx.run_argv(std::move(argv));
      }
    } else if (!in.has_shell) {
      ctx.fail("the image has no shell (/bin/sh): a shell-form RUN cannot start; use the exec form");
      ctx.key_unknown = true;
    } else {
      auto script = parse_cached(in.command);
      ctx.scripts.push_back(script);
      if (!script->ok())
        ctx.fail(fmt::format("/bin/sh: {}", script->problems.front().message));
      ctx.exec(*script, script->root);
      ctx.functions.clear();
    }
  }

  // Results.
  uint64_t cache_bytes = 0;
  eff.changes = ctx.fs.take_changes(&cache_bytes);
  eff.cache_bytes = cache_bytes;
  for (const auto& ch : eff.changes) {
    if (ch.op == FileChange::Op::Put) {
      eff.layer_bytes += ch.node.size;
      if (ch.node.estimated) eff.estimated = true;
    } else {
      eff.removed_bytes += in.fs.size_under(ch.path);
    }
  }
  eff.seconds_cold = ctx.cold;
  eff.seconds_warm_mount = ctx.warm;
  if (ann) {
    if (ann->seconds) eff.seconds_cold = *ann->seconds;
    if (ann->seconds_warm) eff.seconds_warm_mount = *ann->seconds_warm;
    else if (ann->seconds) eff.seconds_warm_mount = std::min(eff.seconds_warm_mount, *ann->seconds);
    if (ann->non_reproducible) {
      eff.non_reproducible = true;
    }
    if (ann->reproducible) eff.non_reproducible = false;
  }
  if (eff.seconds_warm_mount > eff.seconds_cold) eff.seconds_warm_mount = eff.seconds_cold;
  if (ctx.key_unknown || eff.non_reproducible || eff.unknown || eff.would_fail) {
    eff.output_key = 0;
  } else {
    uint64_t h = XXH3_64bits_withSeed("run", 3, ctx.keys.size());
    for (uint64_t k : ctx.keys) h = hash_combine(h, k);
    eff.output_key = h ? h : 1;
  }
  return eff;
}

std::string run_script(std::string_view cmdline, const std::vector<HeredocFile>& files) {
  std::string full(cmdline);
  if (files.empty()) return full;
  auto chomp = [](const HeredocFile& f) {
    if (!f.chomp) return f.content;
    std::string out;
    size_t i = 0;
    while (i < f.content.size()) {
      size_t eol = f.content.find('\n', i);
      size_t end = eol == std::string::npos ? f.content.size() : eol + 1;
      size_t k = i;
      while (k < end && f.content[k] == '\t') ++k;
      out.append(f.content, k, end - k);
      i = end;
    }
    return out;
  };
  if (files.size() == 1) {
    // Is the command line exactly one heredoc word (<<EOF, <<-EOF, <<"EOF")?
    std::string_view t = cmdline;
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    if (t.rfind("<<", 0) == 0 && t.find_first_of(" \t") == std::string_view::npos) {
      std::string_view name = t.substr(2);
      if (!name.empty() && name[0] == '-') name.remove_prefix(1);
      std::string unq;
      for (char ch : name)
        if (ch != '"' && ch != '\'') unq += ch;
      if (unq == files[0].name) return chomp(files[0]);
    }
  }
  for (const auto& f : files) {
    full += "\n";
    full += f.content;
    full += f.name;
  }
  return full;
}

}  // namespace dfplay::sim
