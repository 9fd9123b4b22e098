// The shell builtins and the read-only utilities (true, cd, export, echo, printf, cat, test...).
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <unordered_map>

#include "sim/effects.h"
#include "sim/effects/internal.h"
#include "units.h"

namespace dfplay::sim::detail {

// ====================================================================================
// Shell builtins and read-only utilities
// ====================================================================================

namespace {

int b_true(Ctx& c, Inv& inv) {
  c.time(0.0);
  inv.out.kind = Stream::Kind::None;
  return 0;
}
int b_false(Ctx&, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  return 1;
}

int b_cd(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  std::string target = inv.argv.size() > 1 ? inv.argv[1] : (c.get("HOME") ? *c.get("HOME") : "/");
  if (target == "-") return 0;
  std::string p = c.abs(target);
  if (!c.fs.is_dir(p)) {
    if (inv.dynamic) {
      c.note("cd into a directory computed at run time: paths after it are uncertain");
    } else if (c.unknown_input("cd " + target, p)) {
      c.mkdir(p);  // only a directory can be entered: the unmodelled step made one
    } else {
      c.fail(fmt::format("cd: {}: no such file or directory", target));
      return 1;
    }
  }
  c.cwd = p;
  return 0;
}

int b_export(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  for (size_t k = 1; k < inv.argv.size(); ++k) {
    const std::string& a = inv.argv[k];
    if (a.rfind('-', 0) == 0) continue;
    size_t eq = a.find('=');
    if (eq == std::string::npos) continue;
    c.setenv(a.substr(0, eq), a.substr(eq + 1));
  }
  return 0;
}

int b_unset(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  for (size_t k = 1; k < inv.argv.size(); ++k)
    if (inv.argv[k].rfind('-', 0) != 0) c.unsetenv(inv.argv[k]);
  return 0;
}

int b_echo(Ctx& c, Inv& inv) {
  size_t k = 1;
  bool newline = true, escapes = false;
  while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-' &&
         inv.argv[k].find_first_not_of("neE", 1) == std::string::npos) {
    if (inv.argv[k].find('n') != std::string::npos) newline = false;
    if (inv.argv[k].find('e') != std::string::npos) escapes = true;
    ++k;
  }
  std::string s;
  for (size_t i = k; i < inv.argv.size(); ++i) {
    if (i > k) s += ' ';
    s += inv.argv[i];
  }
  if (escapes) {
    std::string r;
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i] == '\\' && i + 1 < s.size()) {
        char d = s[++i];
        r += d == 'n' ? '\n' : d == 't' ? '\t' : d == '\\' ? '\\' : d;
      } else {
        r += s[i];
      }
    }
    s = std::move(r);
  }
  if (newline) s += '\n';
  inv.out.kind = Stream::Kind::Text;
  inv.out.text = std::move(s);
  if (inv.dynamic) inv.out.reproducible = !mentions_clock(inv);
  return 0;
}

int b_printf(Ctx&, Inv& inv) {
  if (inv.argv.size() < 2) return 1;
  const std::string& fmtstr = inv.argv[1];
  std::string s;
  size_t arg = 2;
  // Repeats the format while arguments remain (as printf does).
  do {
    for (size_t i = 0; i < fmtstr.size(); ++i) {
      char ch = fmtstr[i];
      if (ch == '\\' && i + 1 < fmtstr.size()) {
        char d = fmtstr[++i];
        s += d == 'n' ? '\n' : d == 't' ? '\t' : d;
      } else if (ch == '%' && i + 1 < fmtstr.size()) {
        size_t j = i + 1;
        while (j < fmtstr.size() && std::string_view("-+ #0123456789.").find(fmtstr[j]) != std::string_view::npos) ++j;
        char conv = j < fmtstr.size() ? fmtstr[j] : 's';
        i = j;
        if (conv == '%') {
          s += '%';
        } else if (arg < inv.argv.size()) {
          s += inv.argv[arg++];
        } else if (conv == 'd') {
          s += '0';
        }
      } else {
        s += ch;
      }
    }
  } while (arg < inv.argv.size() && fmtstr.find('%') != std::string::npos);
  inv.out.kind = Stream::Kind::Text;
  inv.out.text = std::move(s);
  if (inv.dynamic) inv.out.reproducible = !mentions_clock(inv);
  return 0;
}

int b_cat(Ctx& c, Inv& inv) {
  Args a = parse_args(inv, {}, 1);
  if (a.positional.empty()) {
    // Copies stdin.
    if (inv.in) inv.out = *inv.in;
    else inv.out.kind = Stream::Kind::None;
    return 0;
  }
  std::string text;
  bool known = true;
  for (auto p : a.positional) {
    if (p == "-") {
      if (inv.in && inv.in->kind == Stream::Kind::Text) text += inv.in->text;
      else known = false;
      continue;
    }
    const FileNode* f = c.fs.find(c.abs(p));
    if (!f) {
      if (c.unknown_input("cat " + std::string(p), c.abs(p))) {
        known = false;
        continue;
      }
      c.fail(fmt::format("cat: {}: no such file or directory", p));
      return 1;
    }
    c.key(f->hash);
    if (f->content) text += *f->content;
    else known = false;
  }
  inv.out.kind = known ? Stream::Kind::Text : Stream::Kind::Unknown;
  if (known) inv.out.text = std::move(text);
  return 0;
}

// test / [ / [[: file tests and string comparisons against the simulated filesystem.
int b_test(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  std::vector<std::string_view> a;
  a.reserve(inv.argv.size());
  for (size_t k = 1; k < inv.argv.size(); ++k) a.push_back(inv.argv[k]);
  if (!a.empty() && (a.back() == "]" || a.back() == "]]")) a.pop_back();
  bool negate = false;
  if (!a.empty() && a[0] == "!") {
    negate = true;
    a.erase(a.begin());
  }
  auto result = [&](bool v) { return (v != negate) ? 0 : 1; };
  if (inv.dynamic) return 0;  // unknown at simulation time: assume true
  if (a.size() == 1) return result(!a[0].empty());
  if (a.size() == 2) {
    std::string_view op = a[0];
    std::string p = c.abs(a[1]);
    const FileNode* n = op.size() == 2 && op[0] == '-' && op[1] != 'z' && op[1] != 'n' ? c.fs.find(p) : nullptr;
    if (op == "-z") return result(a[1].empty());
    if (op == "-n") return result(!a[1].empty());
    if (op == "-e" || op == "-a") return result(n != nullptr);
    if (op == "-f") return result(n && n->is_file());
    if (op == "-d") return result(n && n->is_dir());
    if (op == "-L" || op == "-h") return result(n && n->is_symlink());
    if (op == "-s") return result(n && (n->size > 0 || n->is_dir()));
    if (op == "-x" || op == "-r" || op == "-w") return result(n != nullptr);
    return 0;
  }
  if (a.size() == 3) {
    if (a[1] == "=" || a[1] == "==") return result(a[0] == a[2]);
    if (a[1] == "!=") return result(a[0] != a[2]);
    auto num = [](std::string_view s) { return std::strtoll(std::string(s).c_str(), nullptr, 10); };
    if (a[1] == "-eq") return result(num(a[0]) == num(a[2]));
    if (a[1] == "-ne") return result(num(a[0]) != num(a[2]));
    if (a[1] == "-lt") return result(num(a[0]) < num(a[2]));
    if (a[1] == "-le") return result(num(a[0]) <= num(a[2]));
    if (a[1] == "-gt") return result(num(a[0]) > num(a[2]));
    if (a[1] == "-ge") return result(num(a[0]) >= num(a[2]));
  }
  return 0;  // complex expressions: assume true
}

int b_sleep(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  double s = inv.argv.size() > 1 ? std::strtod(inv.argv[1].c_str(), nullptr) : 0;
  if (!std::isfinite(s) || s < 0) s = 0;
  c.time(std::min(s, 3600.0));
  c.recognise("sleep", fmt::format("waits {}s", std::min(s, 3600.0)));
  return 0;
}

int b_date(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Text;
  inv.out.text = "<date>\n";
  inv.out.reproducible = false;
  c.recognise("date", "prints the current time");
  return 0;
}

// Read-only commands: no filesystem effect (their output, if redirected, is unknown text).
int b_readonly(Ctx& c, Inv& inv) {
  c.time(0.05);
  return 0;
}

// command -v / which / type: true if a handler or a file exists.
int b_which(Ctx& c, Inv& inv) {
  inv.out.kind = Stream::Kind::Unknown;
  return 0;
}

int b_exit(Ctx&, Inv& inv) {
  inv.out.kind = Stream::Kind::None;
  int code = inv.argv.size() > 1 ? std::atoi(inv.argv[1].c_str()) : 0;
  return code;
}

// Wrappers that run the rest of the command line: sudo, env, exec, nice, nohup, time, command,
// gosu/su-exec USER, tini --, dumb-init.
int b_wrapper(Ctx& c, Inv& inv) {
  std::string_view n = inv.name;
  size_t k = 1;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved;
  if (n == "env") {
    while (k < inv.argv.size()) {
      const std::string& a = inv.argv[k];
      if (a == "-i" || a == "-" || a == "--ignore-environment") {
        ++k;
        continue;
      }
      if (a == "-u" && k + 1 < inv.argv.size()) {
        k += 2;
        continue;
      }
      if (sh::is_assignment(a)) {
        std::string name(sh::assignment_name(a));
        const std::string* old = c.get(name);
        saved.emplace_back(name, old ? std::optional<std::string>(*old) : std::nullopt);
        c.setenv(name, std::string(sh::assignment_value(a)));
        ++k;
        continue;
      }
      break;
    }
    if (k >= inv.argv.size()) {
      inv.out.kind = Stream::Kind::Unknown;  // prints the environment
      return 0;
    }
  } else if (n == "sudo" || n == "doas") {
    while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-') {
      if ((inv.argv[k] == "-u" || inv.argv[k] == "-g") && k + 1 < inv.argv.size()) ++k;
      ++k;
    }
    if (n == "sudo") c.note("sudo: usually absent from images (RUN already runs as USER)");
  } else if (n == "gosu" || n == "su-exec") {
    k = 2;
  } else if (n == "command") {
    if (k < inv.argv.size() && (inv.argv[k] == "-v" || inv.argv[k] == "-V")) return b_which(c, inv);
    while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) ++k;
  } else if (n == "tini" || n == "dumb-init") {
    while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) ++k;
  } else if (n == "nice" || n == "nohup" || n == "time" || n == "exec" || n == "timeout" ||
             n == "stdbuf" || n == "ionice" || n == "chroot") {
    while (k < inv.argv.size() && inv.argv[k].rfind('-', 0) == 0) ++k;
    if (n == "timeout" && k < inv.argv.size()) ++k;  // the duration
  }
  if (k >= inv.argv.size()) return 0;
  std::vector<std::string> rest(inv.argv.begin() + static_cast<long>(k), inv.argv.end());
  int status = c.run_argv(std::move(rest), inv.in, &inv.out);
  for (auto& [name, v] : saved) {
    if (v) c.setenv(name, std::move(*v));
    else c.unsetenv(name);
  }
  return status;
}

// sh -c '...', bash script.sh, . file, source file, eval ...
int b_shell(Ctx& c, Inv& inv) {
  std::string_view n = inv.name;
  if (n == "eval") {
    std::string text;
    for (size_t k = 1; k < inv.argv.size(); ++k) {
      if (k > 1) text += ' ';
      text += inv.argv[k];
    }
    if (inv.dynamic) c.note("eval of a command substitution: not simulated");
    return c.run_script(text);
  }
  size_t k = 1;
  bool dash_c = false;
  while (k < inv.argv.size() && inv.argv[k].size() > 1 && inv.argv[k][0] == '-') {
    if (inv.argv[k].find('c') != std::string::npos && inv.argv[k][1] != '-') dash_c = true;
    ++k;
    if (dash_c) break;
  }
  if (dash_c) {
    if (k >= inv.argv.size()) return 2;
    return c.run_script(inv.argv[k]);
  }
  if (k >= inv.argv.size()) {
    // The script comes from stdin (`curl ... | sh`).
    if (inv.in && inv.in->kind == Stream::Kind::Text) return c.run_script(inv.in->text);
    if (inv.in && inv.in->kind == Stream::Kind::Network) {
      c.unknown(fmt::format("{} (script from {})", n, inv.in->url.empty() ? "the network" : inv.in->url),
                "a downloaded script is run: its effect is unknown");
      return 0;
    }
    return 0;
  }
  std::string path = c.abs(inv.argv[k]);
  const FileNode* f = c.fs.find(path);
  if (!f) {
    if (c.unknown_input(fmt::format("{} {}", n, inv.argv[k]), path)) return 0;
    c.fail(fmt::format("{}: {}: no such file or directory", n, inv.argv[k]));
    return 127;
  }
  c.key(f->hash);
  if (!f->content) {
    c.unknown(inv.argv[k], "script content unknown");
    return 0;
  }
  return c.run_script(*f->content);
}

int b_version_query(Ctx& c, Inv& inv) {
  // node -v, python --version, java -version...: read-only.
  for (size_t k = 1; k < inv.argv.size(); ++k) {
    std::string_view a = inv.argv[k];
    if (a == "-v" || a == "--version" || a == "-version" || a == "-V" || a == "version" || a == "--info" ||
        a == "-h" || a == "--help") {
      c.recognise(std::string(inv.name) + " " + std::string(a), "prints version information");
      return 0;
    }
  }
  // Otherwise: running a program with an unknown effect.
  c.unknown(inv.argv[0], "runs a program whose effect is not modelled");
  return 0;
}

}  // namespace

void register_builtins(Registry& r) {
  for (auto n : {"true", ":", "set", "shopt", "umask", "ulimit", "trap", "shift", "wait", "local", "return",
                 "hash", "alias", "unalias", "readonly", "declare", "typeset", "[[", "((", "let"})
    r.add(n, b_true);
  r.add("false", b_false);
  r.add("cd", b_cd);
  r.add("pushd", b_cd);
  r.add("export", b_export);
  r.add("unset", b_unset);
  r.add("echo", b_echo);
  r.add("printf", b_printf);
  r.add("cat", b_cat);
  r.add("test", b_test);
  r.add("[", b_test);
  r.add("sleep", b_sleep);
  r.add("date", b_date);
  r.add("exit", b_exit);
  for (auto n : {"which", "type", "hash"}) r.add(n, b_which);
  for (auto n : {"env", "sudo", "doas", "gosu", "su-exec", "command", "tini", "dumb-init", "nice", "nohup",
                 "time", "exec", "timeout", "stdbuf", "ionice", "chroot"})
    r.add(n, b_wrapper);
  for (auto n : {"sh", "bash", "ash", "dash", "zsh", "source", ".", "eval"}) r.add(n, b_shell);
  for (auto n : {"ls", "pwd", "printenv", "id", "whoami", "uname", "nproc", "grep", "egrep", "fgrep", "awk",
                 "head", "tail", "wc", "sort", "uniq", "cut", "tr", "du", "df", "stat", "file", "md5sum",
                 "sha1sum", "sha256sum", "sha512sum", "basename", "dirname", "realpath", "readlink", "seq",
                 "expr", "yes", "sync", "ldd", "ps", "free", "getent", "tput", "clear", "read", "jq",
                 "diff", "cmp", "less", "more", "hostname", "arch", "locale", "tty", "nslookup", "ping",
                 "dpkg-query", "rpm", "apk-info", "lsb_release", "printf-", "logger", "true-"})
    r.add(n, b_readonly);
  for (auto n : {"node", "python", "python3", "ruby", "perl", "php", "deno", "bun", "rustc",
                 "gcc", "g++", "cc", "clang", "javac", "kotlin"})
    r.add(n, b_version_query);
}

}  // namespace dfplay::sim::detail
