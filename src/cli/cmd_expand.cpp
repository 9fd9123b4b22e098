// dfplay expand [--env NAME=VALUE]... [--words] [options] WORD
// Expands WORD like BuildKit's shell lexer (ProcessWord; with --words, ProcessWords) and prints
// the result on one line, or one word per line. WORD `-` is read from stdin (one trailing
// newline removed). Exit status: 0 on success, 1 when the expansion fails (the message, as
// BuildKit prints it, on stderr), 2 on usage errors.
#include <cstdio>
#include <iostream>
#include <string>

#include "command.h"
#include "shell/expand.h"

namespace dfplay::cli {
namespace {

constexpr const char* kUsage =
    "expand [--env NAME=VALUE]... [--words] [--escape=C] [--skip-unset] [--skip-quotes] "
    "[--raw-quotes] [--raw-escapes] WORD|-";

int run(const Args& args) {
  std::vector<std::string> env_entries;
  shell::Options opts;
  bool words = false;
  bool have_word = false;
  bool options_done = false;
  std::string word;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (!options_done && a.size() > 1 && a[0] == '-') {
      if (a == "--") {
        options_done = true;
      } else if (a == "--words") {
        words = true;
      } else if (a == "--env" || a == "-e") {
        if (i + 1 >= args.size()) return usage_error("expand");
        env_entries.push_back(args[++i]);
      } else if (a.rfind("--env=", 0) == 0) {
        env_entries.push_back(a.substr(6));
      } else if (a.rfind("--escape=", 0) == 0 && a.size() == 10) {
        opts.escape = a[9];
      } else if (a == "--skip-unset") {
        opts.skip_unset = true;
      } else if (a == "--skip-quotes") {
        opts.skip_process_quotes = true;
      } else if (a == "--raw-quotes") {
        opts.raw_quotes = true;
      } else if (a == "--raw-escapes") {
        opts.raw_escapes = true;
      } else {
        std::fprintf(stderr, "dfplay: error: unknown option '%s'\n", a.c_str());
        return usage_error("expand");
      }
      continue;
    }
    if (have_word) return usage_error("expand");
    have_word = true;
    word = a;
  }
  if (!have_word) return usage_error("expand");
  if (word == "-") {
    if (!read_file("-", word)) {
      std::fprintf(stderr, "dfplay: error: cannot read stdin\n");
      return 2;
    }
    if (!word.empty() && word.back() == '\n') {
      word.pop_back();
      if (!word.empty() && word.back() == '\r') word.pop_back();
    }
  }

  const shell::Env env = shell::Env::from_strings(env_entries);
  const shell::Expansion e = words ? shell::expand_words(word, env, opts)
                                   : shell::expand_word(word, env, opts);
  if (!e.ok) {
    std::cerr << "dfplay: error: " << shell::buildkit_error(word, e) << "\n";
    return 1;
  }
  if (words) {
    for (const auto& w : e.words) std::cout << w << "\n";
  } else {
    std::cout << e.word << "\n";
  }
  return 0;
}

const Registration reg{"expand", kUsage, run};

}  // namespace
}  // namespace dfplay::cli
