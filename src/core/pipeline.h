// The whole pipeline in one call: text -> syntax -> instructions -> stages -> simulation ->
// findings. Front ends (app, CLI, JS API) call this and render the result through report/.
#pragma once
#include <map>
#include <string>
#include <string_view>

#include "syntax/ast.h"

namespace dfplay {

struct AnalyzeOptions {
  std::string file_name = "Dockerfile";
};

struct Analysis {
  std::string file_name;
  syntax::Dockerfile dockerfile;
  size_t instruction_count = 0;  // top-level instructions (ONBUILD counts once)
  size_t stage_count = 0;        // FROM instructions
};

Analysis analyze(std::string_view dockerfile_text, const AnalyzeOptions& options = {});

}  // namespace dfplay
