#include "model/undo_history.h"

#include <doctest/doctest.h>

#include <string>

using dfplay::app::Content;
using dfplay::app::ContentRest;
using dfplay::app::diff_text;
using dfplay::app::UndoHistory;

namespace {

// Types `s` one character at a time at the end of the history's text, `dt` seconds apart.
double type(UndoHistory& h, const std::string& s, double t, double dt = 0.05) {
  for (char c : s) {
    h.record_text(h.current().dockerfile + c, t);
    t += dt;
  }
  return t;
}

Content text(std::string s) { return Content{std::move(s), std::make_shared<ContentRest>()}; }

}  // namespace

TEST_CASE("undo: diff_text finds the one changed range") {
  auto d = diff_text("FROM a\nRUN x\n", "FROM a\nRUN xyz\n");
  CHECK(d.pos == 12);
  CHECK(d.removed == 0);
  CHECK(d.inserted == 2);
  d = diff_text("aaaa", "aa");
  CHECK(d.pos == 2);
  CHECK(d.removed == 2);
  CHECK(d.inserted == 0);
  d = diff_text("same", "same");
  CHECK((d.removed == 0 && d.inserted == 0));
}

TEST_CASE("undo: a typed word is one step, the space after it starts the next") {
  UndoHistory h;
  h.reset(text("FROM alpine\n"));
  type(h, "RUN echo hi", 1.0);
  CHECK(h.current().dockerfile == "FROM alpine\nRUN echo hi");
  CHECK(h.undo_label() == "typing");
  auto r = h.undo();
  REQUIRE(r);
  CHECK(r->content->dockerfile == "FROM alpine\nRUN echo");
  CHECK(r->cursor == std::string("FROM alpine\nRUN echo").size());
  CHECK(h.undo()->content->dockerfile == "FROM alpine\nRUN");
  CHECK(h.undo()->content->dockerfile == "FROM alpine\n");
  CHECK_FALSE(h.can_undo());
  CHECK(h.redo()->content->dockerfile == "FROM alpine\nRUN");
  auto again = h.redo();
  CHECK(again->content->dockerfile == "FROM alpine\nRUN echo");
  CHECK(again->cursor == std::string("FROM alpine\nRUN echo").size());
}

TEST_CASE("undo: a pause splits a word, Backspaces group, a paste is its own step") {
  UndoHistory h;
  h.reset(text(""));
  double t = type(h, "ab", 0.0);
  type(h, "cd", t + UndoHistory::kGroupSeconds + 1.0);
  CHECK(h.size() == 3);
  h.reset(text("hello world"));
  for (int i = 0; i < 5; ++i) h.record_text(h.current().dockerfile.substr(0, h.current().dockerfile.size() - 1), 1.0 + i * 0.1);
  CHECK(h.current().dockerfile == "hello ");
  CHECK(h.undo_label() == "delete");
  auto r = h.undo();
  CHECK(r->content->dockerfile == "hello world");
  CHECK(r->cursor == 11);
  CHECK_FALSE(h.can_undo());

  h.reset(text("FROM a\n"));
  h.record_text("FROM a\nRUN make\n", 2.0, /*typed=*/false);
  CHECK(h.undo_label() == "paste");
  h.record_text("FROM a\nRUN make\nX", 2.1);
  CHECK(h.size() == 3);  // the paste is not extended by typing
}

TEST_CASE("undo: characters typed within one frame still group by word") {
  UndoHistory h;
  h.reset(text("FROM a\n"));
  h.record_text("FROM a\nRUN ec", 1.0);
  h.record_text("FROM a\nRUN echo hi", 1.1);
  CHECK(h.undo()->content->dockerfile == "FROM a\nRUN echo");
  CHECK(h.undo()->content->dockerfile == "FROM a\nRUN");
  CHECK(h.undo()->content->dockerfile == "FROM a\n");
  // Backspaces within one frame join the Backspaces before them.
  h.reset(text("abcdef"));
  h.record_text("abcde", 1.0);
  h.record_text("abc", 1.1);
  CHECK(h.size() == 2);
  CHECK(h.undo()->content->dockerfile == "abcdef");
}

TEST_CASE("undo: a replaced content (example, load, Apply fix) is one step and keeps what came before") {
  UndoHistory h;
  h.reset(text("FROM mine\n"));
  type(h, "RUN true", 0.0);
  auto rest = std::make_shared<ContentRest>();
  rest->example_id = "node-multistage";
  rest->files.push_back({"package.json", "{}", 0644});
  h.record(Content{"FROM node:20\n", rest}, "load example", 5.0);
  CHECK(h.undo_label() == "load example");
  auto r = h.undo();
  CHECK(r->content->dockerfile == "FROM mine\nRUN true");
  CHECK(r->content->rest->example_id.empty());
  CHECK(r->content->rest->files.empty());
  auto again = h.redo();
  CHECK(again->content->rest->example_id == "node-multistage");
  // The same content again is no step.
  h.record(Content{"FROM node:20\n", rest}, "load example", 6.0);
  CHECK(h.size() == 4);
  // Typing after an undo drops the redo branch.
  h.undo();
  type(h, "X", 7.0);
  CHECK_FALSE(h.can_redo());
  CHECK(h.current().dockerfile == "FROM mine\nRUN trueX");
}

TEST_CASE("undo: merge keys group a field's keystrokes; the history is bounded") {
  UndoHistory h(5);
  h.reset(text("x"));
  auto rest = std::make_shared<ContentRest>();
  for (int i = 0; i < 4; ++i) {
    auto r = std::make_shared<ContentRest>(*rest);
    r->options.build_args = {{"A", std::string(i + 1, 'v')}};
    h.record(Content{"x", r}, "options", 1.0 + i * 0.1, "options");
  }
  CHECK(h.size() == 2);
  for (int i = 0; i < 10; ++i) h.record(text("x" + std::to_string(i)), "edit", 10.0 + i);
  CHECK(h.size() == 6);
  int undos = 0;
  while (h.undo()) ++undos;
  CHECK(undos == 5);
}
