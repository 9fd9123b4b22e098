// The Dockerfile parser: text -> AST with positions and diagnostics. Never throws; a broken
// instruction gives a diagnostic and parsing resumes at the next instruction.
#pragma once
#include <string>
#include <string_view>

#include "syntax/ast.h"

namespace dfplay::syntax {

Dockerfile parse(std::string_view text);

// BuildKit's AST dump (parser.Node.Dump()): one line per instruction, trailing newline.
std::string dump(const Dockerfile& df);

}  // namespace dfplay::syntax
