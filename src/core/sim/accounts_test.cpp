#include "sim/accounts.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

using dfplay::sim::AccountLine;
using dfplay::sim::for_each_account_line;

TEST_SUITE("sim/accounts") {
  TEST_CASE("passwd and group lines split into fields with numeric ids") {
    std::string text = "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000::/home/node:/bin/sh\n\n# c\nbad:x:abc:1\n";
    std::vector<std::string> names;
    std::vector<uint32_t> ids;
    for_each_account_line(text, [&](const AccountLine& l) {
      uint32_t id;
      if (l.id(id)) {
        names.emplace_back(l.name());
        ids.push_back(id);
      }
      return true;
    });
    CHECK(names == std::vector<std::string>{"root", "node"});
    CHECK(ids == std::vector<uint32_t>{0, 1000});
    for_each_account_line("www:x:33:\n", [&](const AccountLine& l) {
      CHECK(l.count == 4);
      uint32_t gid = 7;
      CHECK(l.id(gid));
      CHECK(gid == 33);
      CHECK_FALSE(l.gid(gid));  // the members field is not a number
      return true;
    });
  }

  TEST_CASE("a visitor stops the walk; ids out of range are rejected") {
    int seen = 0;
    for_each_account_line("a:x:1:1\nb:x:2:2\nc:x:3:3\n", [&](const AccountLine& l) {
      ++seen;
      return l.name() != "b";
    });
    CHECK(seen == 2);
    uint32_t v = 0;
    CHECK_FALSE(AccountLine::parse_id("4294967296", v));
    CHECK(AccountLine::parse_id("4294967295", v));
    CHECK(v == 4294967295u);
    CHECK_FALSE(AccountLine::parse_id("", v));
    CHECK_FALSE(AccountLine::parse_id("-1", v));
  }
}
