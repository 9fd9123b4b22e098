// libFuzzer target: BuildKit's word expansion (shell::expand_word / expand_words) and its
// patterns. The input: a first byte of option bits, then the word up to the first newline,
// then NAME=VALUE lines (the environment). Checks that expansion ends (the work limit holds)
// and that a success gives a word and words, a failure a message inside the input.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "shell/expand.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t flags = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  size_t nl = rest.find('\n');
  std::string_view word = rest.substr(0, nl);
  dfplay::shell::Env env;
  while (nl != std::string_view::npos) {
    rest = rest.substr(nl + 1);
    nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) env.set(line, "");
    else env.set(line.substr(0, eq), line.substr(eq + 1));
  }
  dfplay::shell::Options o;
  o.escape = (flags & 1) ? '`' : '\\';
  o.skip_unset = flags & 2;
  o.skip_process_quotes = flags & 4;
  o.raw_quotes = flags & 8;
  o.raw_escapes = flags & 16;
  o.work_limit = uint64_t{1} << 22;  // keeps each run short; the limit's path is fuzzed too
  uint64_t budget = uint64_t{1} << 23;
  if (flags & 32) o.shared_budget = &budget;
  auto a = dfplay::shell::expand_word(word, env, o);
  auto b = dfplay::shell::expand_words(word, env, o);
  if (a.ok != b.ok) __builtin_trap();  // the same word either expands or not
  if (!a.ok) {
    if (a.error.empty() || a.error_offset > word.size()) __builtin_trap();
    (void)dfplay::shell::buildkit_error(word, a);
  }
  return 0;
}
