// Heredoc detection as BuildKit's parser does it (heredocsFromLine / ParseHeredoc): the
// instruction line is split into shell words with an empty environment (unset variables are
// kept as written, quotes and escapes kept), and every word of the form `[N]<<[-]WORD` opens a
// heredoc (the lexer keeps the blanks after an unquoted `<<` in its word, so `<< EOF` counts). Internal to the syntax module; exposed for tests.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace dfplay::syntax::detail {

struct ShellWord {
  std::string text;
  uint32_t begin = 0;  // byte offsets in the lexed text
  uint32_t end = 0;
};

struct ShellLexOptions {
  bool raw_quotes = false;   // keep quote characters in the words
  bool raw_escapes = false;  // keep backslashes in the words
};

// BuildKit's shell.Lex.ProcessWords with escape token '\\', SkipUnsetEnv and no variables.
// Returns false (with a message) when the text does not lex (unterminated quote, bad ${...}).
bool lex_shell_words(std::string_view s, ShellLexOptions opts, std::vector<ShellWord>& out,
                     std::string* error = nullptr);

struct HeredocOpener {
  std::string name;
  uint32_t fd = 0;
  bool chomp = false;
  bool expand = true;
  uint32_t begin = 0;  // the opener word in the line
  uint32_t end = 0;
};

// ParseHeredoc on one word: nullopt when the word is not a heredoc opener; `error` is set
// when BuildKit would fail the parse.
std::optional<HeredocOpener> parse_heredoc_word(std::string_view word, std::string* error);

// heredocsFromLine: every heredoc opener of the line, in order. Returns false with `error`
// set when BuildKit would fail the parse.
bool heredocs_from_line(std::string_view line, std::vector<HeredocOpener>& out, std::string* error);

}  // namespace dfplay::syntax::detail
