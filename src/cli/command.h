// Sub-commands of `dfplay` register themselves: one file per command (cmd_*.cpp), each with
//   static const dfplay::cli::Registration reg{"name", "one-line usage", run};
#pragma once
#include <string>
#include <vector>

namespace dfplay::cli {

using Args = std::vector<std::string>;
using Run = int (*)(const Args& args);

struct Command {
  const char* name;
  const char* usage;  // e.g. "parse FILE [--dump|--json]"
  Run run;
};

struct Registration {
  Registration(const char* name, const char* usage, Run run);
};

const std::vector<Command>& commands();

// Shared helpers for commands.
bool read_file(const std::string& path, std::string& out);  // "-" reads stdin
int usage_error(const char* command);                       // prints the command's usage, returns 2

}  // namespace dfplay::cli
