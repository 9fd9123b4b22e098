#include "pipeline.h"

#include "syntax/parser.h"

namespace dfplay {

Analysis analyze(std::string_view text, const AnalyzeOptions& options) {
  Analysis a;
  a.file_name = options.file_name;
  a.dockerfile = syntax::parse(text);
  for (const auto& n : a.dockerfile.nodes) {
    ++a.instruction_count;
    if (n.keyword == syntax::Keyword::From) ++a.stage_count;
  }
  return a;
}

}  // namespace dfplay
