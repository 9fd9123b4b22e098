// dfplay: the native command-line front end. A thin layer: read files, call the core, print.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "command.h"

namespace dfplay::cli {

static std::vector<Command>& registry() {
  static std::vector<Command> r;
  return r;
}

Registration::Registration(const char* name, const char* usage, Run run) {
  registry().push_back({name, usage, run});
}

const std::vector<Command>& commands() { return registry(); }

bool read_file(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

int usage_error(const char* command) {
  for (const auto& c : commands())
    if (std::strcmp(c.name, command) == 0) std::fprintf(stderr, "usage: dfplay %s\n", c.usage);
  return 2;
}

static int usage(FILE* out, int code) {
  std::vector<Command> sorted = commands();
  std::sort(sorted.begin(), sorted.end(),
            [](const Command& a, const Command& b) { return std::strcmp(a.name, b.name) < 0; });
  std::fputs("usage: dfplay <command> [options]\n\ncommands:\n", out);
  for (const auto& c : sorted) std::fprintf(out, "  dfplay %s\n", c.usage);
  std::fputs("  dfplay --version\n", out);
  return code;
}

}  // namespace dfplay::cli

int main(int argc, char** argv) {
  using namespace dfplay::cli;
  if (argc < 2) return usage(stderr, 2);
  std::string cmd = argv[1];
  Args rest(argv + 2, argv + argc);
  if (cmd == "--help" || cmd == "-h" || cmd == "help") return usage(stdout, 0);
  if (cmd == "--version") {
    std::puts("dfplay 0.1.0");
    return 0;
  }
  for (const auto& c : commands())
    if (cmd == c.name) return c.run(rest);
  std::fprintf(stderr, "dfplay: unknown command '%s'\n", cmd.c_str());
  return usage(stderr, 2);
}
