#include "tools/repl/help_table.hpp"

#include <algorithm>

namespace syn::dsl {

namespace {

// A test asks :help for every statement keyword and every command the REPL accepts, so one
// without an entry here fails it.
constexpr help_entry statements[] = {
    {"receptor", "receptor NAME { PROPERTY = VALUE; ... }",
     "a receptor: its kinetics and the sign of its PSPs (:help receptor lists the properties)",
     "receptor AMPA { reversal = 0 mV; rise = 0.2 ms; decay = 2 ms }"},
    {"neuron", "neuron NAME [: BASE] { PROPERTY = VALUE; ... }",
     "a neuron type; `: BASE` copies an earlier type's properties first",
     "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }"},
    {"population", "population NAME = [N x] TYPE [{ PROPERTY = VALUE; ... }]",
     "N neurons of a type (1 without `N x`), the block overriding its properties",
     "population exc = 80 x LIF { v0 = uniform(-70 mV, -56 mV) }"},
    {"train",
     "train NAME = [N x] times [T, ...] | regular RATE from T to T | poisson RATE [from T to T] "
     "| file \"FILE\"",
     "N spike sources (1 without `N x`): given times, a regular or Poisson rate, or the "
     "spikes\nof a spikes.csv that `record spikes` wrote",
     "train drive = regular 50 Hz from 10 ms to 200 ms"},
    {"connect",
     "connect PRE -> POST via RECEPTOR weight W delay D [at X] [RULE] [without autapses]",
     "synapses from a population or train onto a population\n"
     "PRE and POST: NAME, NAME[i] or NAME[a..b]; X: the distance from the soma, as 120 um\n"
     "RULE: all_to_all (the default), one_to_one, with probability P, with indegree K or "
     "with outdegree K",
     "connect drive -> exc via AMPA weight 0.5 mV delay 1 ms with probability 0.1"},
    {"record", "record spikes [of NAME, ...] | record v of NAME, ... every T",
     "spikes (of every population and train without `of`), or V sampled every T\n"
     "(plot v of NAME draws it)",
     "record v of exc[0..3] every 0.1 ms"},
    {"measure", "measure psp of NAME, ...",
     "the PSP of each input that arrives alone onto these neurons (at most 16): its\n"
     "amplitude, time to peak and half-width, shown after each run (syn run --measure)",
     "measure psp of n1[0]"},
    {"run", "run T", "simulate for T from the present", "run 100 ms"},
    {"import", "import a.b [as NAME] [>= VERSION] | import \"FILE.syn\" as NAME",
     "a library's receptors and neuron types, as b.Name and a.b.Name, or NAME.Name",
     "import std.receptors as r"},
    {"from", "from a.b import NAME, ...", "a library's receptors and neuron types, unqualified",
     "from std.neurons import Pyramidal"},
    {"library", "library a.b version \"X.Y.Z\"",
     "a library's name and version, on its first line (checked, otherwise ignored here)",
     "library lab.cells version \"1.0.0\""},
    {"param", "param NAME = VALUE",
     "a named quantity (a number with its unit, or a plain number), usable wherever a value\n"
     "goes by its name; `syn run --set NAME=VALUE` changes it",
     "param w_inh = 3 mV"},
    {"seed", "seed = N",
     "the seed of every random draw (default 1), for the whole session: the past is redrawn",
     "seed = 42"},
};

constexpr command_entry commands[] = {
    {command_kind::show,
     {"show", "show NAME",
      "a population, train, neuron type, receptor or param: parameters with units, state",
      "show exc"}},
    {command_kind::print,
     {"print", "print NAME.v | print NAME[i].v", "the membrane potential now, exact",
      "print exc[0].v"}},
    {command_kind::spikes,
     {"spikes", "spikes [of NAME] [last N]", "the spikes so far", "spikes of exc last 5"}},
    {command_kind::plot,
     {"plot",
      "plot v of NAME[, NAME...] | plot spikes [of NAME[, NAME...]], then\n"
      "[from T] [to T] [to \"FILE.svg\"]",
      "V over the recorded interval (record v of ... first), spikes marked '!' on the\n"
      "threshold line; of a population, its first 5 recorded neurons, one mark each.\n"
      "plot spikes: a raster. to \"FILE.svg\": the same as an SVG figure",
      "plot v of exc[0] from 20 ms to 40 ms"}},
    {command_kind::time, {"time", "time", "the present, ms", "time"}},
    {command_kind::step, {"step", "step", "advance to the next event and say what it was", "step"}},
    {command_kind::queue,
     {"queue", "queue [N]", "the next N pending events (default 10): what, when, for whom",
      "queue 5"}},
    {command_kind::reset,
     {"reset", "reset", "back to t = 0: the same model and seed, every statement from the start",
      "reset"}},
    {command_kind::clear,
     {"clear", "clear", "clear the screen, as in a shell (on a terminal; nothing through a pipe)",
      "clear"}},
    {command_kind::load,
     {":load", ":load FILE", "run a file's statements in the session (\"FILE\" if it holds a #)",
      ":load model.syn"}},
    {command_kind::reload,
     {":reload", ":reload",
      "re-read the file loaded last, rebuild, replay to the present, say what changed", ":reload"}},
    {command_kind::save,
     {":save", ":save FILE", "the session's statements as a .syn file that `syn run` reproduces",
      ":save session.syn"}},
    {command_kind::help,
     {":help", ":help [TOPIC]",
      "this; a TOPIC is a statement, a command, or one of: statements, commands, neuron, "
      "receptor, units",
      ":help connect"}},
    {command_kind::quit,
     {":quit", ":quit | :q", "leave (Ctrl-D too); Ctrl-C stops a long run", ":quit"}},
};

}  // namespace

std::span<const help_entry> statement_help() { return statements; }

std::span<const command_entry> command_help() { return commands; }

const std::vector<std::string>& command_list() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w;
    for (const command_entry& c : commands) w.emplace_back(c.help.topic);
    w.emplace_back(":q");
    return w;
  }();
  return words;
}

std::optional<command_kind> command_named(std::string_view word) {
  if (word == ":q") return command_kind::quit;
  const auto* c = std::find_if(std::begin(commands), std::end(commands),
                               [&](const command_entry& e) { return e.help.topic == word; });
  if (c == std::end(commands)) return std::nullopt;
  return c->kind;
}

}  // namespace syn::dsl
