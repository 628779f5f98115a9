// The SVG writer: escaping of text and attributes, short numbers, and a page that parses.

#include "figures/svg_document.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "svg_reading.hpp"

namespace syn::dsl::figures {
namespace {

const std::string replacement = "\xEF\xBF\xBD";

TEST(svg_document, escapes_the_five_special_characters) {
  EXPECT_EQ(escaped(R"(a<b & "c" > 'd')"), "a&lt;b &amp; &quot;c&quot; &gt; &apos;d&apos;");
}

TEST(svg_document, replaces_what_xml_cannot_hold) {
  EXPECT_EQ(escaped("a\x01"
                    "b\x1B[31m\x7F"),
            "a" + replacement + "b" + replacement + "[31m" + replacement);
  EXPECT_EQ(escaped("tab\tline\n"), "tab\tline\n");
  EXPECT_EQ(escaped("\xC2\x85"), replacement);  // C1 control NEL
  EXPECT_EQ(escaped("\xFF"
                    "x"),
            replacement + "x");                               // never a UTF-8 byte
  EXPECT_EQ(escaped("\xC0\xAF"), replacement + replacement);  // overlong '/'
  EXPECT_EQ(escaped("\xED\xA0\x80"), replacement + replacement + replacement);  // surrogate
  EXPECT_EQ(escaped("\xEF\xBF\xBE"), replacement);                              // U+FFFE
  EXPECT_EQ(escaped("\xE2\x82"), replacement + replacement);                    // cut short
}

TEST(svg_document, keeps_valid_utf8) {
  const std::string text =
      "\xCE\xBC"
      "A \xC3\xA9t\xC3\xA9 \xF0\x9F\xA7\xA0 \xE2\x80\xA6";
  EXPECT_EQ(escaped(text), text);
}

TEST(svg_document, prints_numbers_short_and_finite) {
  EXPECT_EQ(num(12.5), "12.5");
  EXPECT_EQ(num(3.0), "3");
  EXPECT_EQ(num(1234.5678), "1234.57");
  EXPECT_EQ(num(-0.001), "0");
  EXPECT_EQ(num(-2.25), "-2.25");
  EXPECT_EQ(num(0.1 + 0.2), "0.3");
  EXPECT_EQ(num(std::numeric_limits<double>::quiet_NaN()), "0");
  EXPECT_EQ(num(std::numeric_limits<double>::infinity()), "0");
  EXPECT_EQ(num(-std::numeric_limits<double>::infinity()), "0");
}

TEST(svg_document, groups_thousands) {
  EXPECT_EQ(grouped(0), "0");
  EXPECT_EQ(grouped(999), "999");
  EXPECT_EQ(grouped(1000), "1,000");
  EXPECT_EQ(grouped(124512), "124,512");
  EXPECT_EQ(grouped(1234567), "1,234,567");
}

TEST(svg_document, writes_a_page_that_parses_whatever_its_text) {
  const std::string hostile = "<&\">\x01\x02\xFF</svg>";
  svg_document svg(hostile, 100);
  svg.text(10, 20, "label", hostile, "start", R"(data-x="1")");
  svg.note(hostile);
  const test::figure f(svg.finish());
  const std::string shown = "<&\">" + replacement + replacement + replacement + "</svg>";
  EXPECT_EQ(f.doc.child("svg").child_value("title"), shown);
  EXPECT_EQ(f.texts_of("title"), std::vector<std::string>{shown});
  EXPECT_EQ(f.texts_of("label"), std::vector<std::string>{shown});
  EXPECT_EQ(f.texts_of("note"), std::vector<std::string>{shown});
  EXPECT_STREQ(f.doc.child("svg").attribute("width").value(), "800");
  // One note adds a line under the plot.
  EXPECT_GT(f.doc.child("svg").attribute("height").as_double(), 100);
  EXPECT_GT(f.with_class("note").front().attribute("y").as_double(), 100);
}

TEST(svg_document, cycles_through_the_palette) {
  EXPECT_EQ(colour(0), palette[0]);
  EXPECT_EQ(colour(palette.size() + 2), palette[2]);
}

}  // namespace
}  // namespace syn::dsl::figures
