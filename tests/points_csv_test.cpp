// Points as input: one kernel per CSV row, with and without weights and a header; malformed rows
// are errors naming the line.
#include "gaussmap/points_csv.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

using ::testing::HasSubstr;

PointKernelShape shape(double sigma_x = 2, double sigma_y = 3, double angle_deg = 15,
                       std::string weight_column = "") {
  PointKernelShape s;
  s.sigma_x = sigma_x;
  s.sigma_y = sigma_y;
  s.angle_deg = angle_deg;
  s.columns.weight = std::move(weight_column);
  return s;
}

std::string errorOf(const std::string& csv, const PointKernelShape& s = shape()) {
  try {
    parsePointsCsv(csv, "pts.csv", s);
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "parsed without error:\n" << csv;
  return "";
}

TEST(PointsCsv, RowsWithoutWeightGetWeightOneAndTheGivenShape) {
  const auto kernels = parsePointsCsv("1,2\n-3.5,4e1\n", "pts.csv", shape(2, 3, 15));
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[0].x, 1);
  EXPECT_EQ(kernels[0].y, 2);
  EXPECT_EQ(kernels[1].x, -3.5);
  EXPECT_EQ(kernels[1].y, 40);
  for (const Kernel& k : kernels) {
    EXPECT_EQ(k.weight, 1);
    EXPECT_EQ(k.sigma_x, 2);
    EXPECT_EQ(k.sigma_y, 3);
    EXPECT_EQ(k.angle_deg, 15);
    EXPECT_FALSE(k.cov.has_value());
  }
}

TEST(PointsCsv, ThirdColumnIsTheWeight) {
  const auto kernels = parsePointsCsv("1,2,0.25\n3,4,-2\n5,6\n", "pts.csv", shape());
  ASSERT_EQ(kernels.size(), 3u);
  EXPECT_EQ(kernels[0].weight, 0.25);
  EXPECT_EQ(kernels[1].weight, -2);
  EXPECT_EQ(kernels[2].weight, 1);
}

TEST(PointsCsv, HeaderLineIsSkipped) {
  const auto kernels = parsePointsCsv("x,y,weight\n1,2,0.5\n3,4,0.75\n", "pts.csv", shape());
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[0].x, 1);
  EXPECT_EQ(kernels[0].weight, 0.5);
  EXPECT_EQ(kernels[1].weight, 0.75);
}

TEST(PointsCsv, WeightColumnIsFoundByName) {
  const auto kernels = parsePointsCsv("x, y, count, intensity\n1,2,7,0.5\n3,4,8,0.25\n", "pts.csv",
                                      shape(1, 1, 0, "intensity"));
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[0].weight, 0.5);
  EXPECT_EQ(kernels[1].weight, 0.25);
  const auto by_count =
      parsePointsCsv("x,y,count,intensity\n1,2,7,0.5\n", "pts.csv", shape(1, 1, 0, "count"));
  EXPECT_EQ(by_count[0].weight, 7);
}

TEST(PointsCsv, UnknownWeightColumnNameIsAnErrorOnTheHeaderLine) {
  const std::string message = errorOf("x,y,count\n1,2,3\n", shape(1, 1, 0, "intensity"));
  EXPECT_THAT(message, HasSubstr("pts.csv:1:"));
  EXPECT_THAT(message, HasSubstr("'intensity'"));
}

TEST(PointsCsv, WeightColumnWithoutAHeaderIsAnError) {
  EXPECT_THAT(errorOf("1,2,3\n", shape(1, 1, 0, "w")), HasSubstr("pts.csv:1:"));
}

TEST(PointsCsv, BlankLinesAndCommentsAreSkippedButCounted) {
  const std::string csv = "# points from the tracker\n\nx,y\n  \n1,2\n# a comment\n\t\n3,4\n";
  const auto kernels = parsePointsCsv(csv, "pts.csv", shape());
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[1].x, 3);
  // The bad row is the file's 10th line, blank and comment lines included.
  EXPECT_THAT(errorOf(csv + "\n5,oops\n"), HasSubstr("pts.csv:10:"));
}

TEST(PointsCsv, WindowsLineEndingsAndSpacesAreAccepted) {
  const auto kernels =
      parsePointsCsv("x,y,weight\r\n 1 , 2 , 0.5 \r\n+3,-4,1e-1\r\n", "pts.csv", shape());
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[0].x, 1);
  EXPECT_EQ(kernels[0].y, 2);
  EXPECT_EQ(kernels[0].weight, 0.5);
  EXPECT_EQ(kernels[1].x, 3);
  EXPECT_EQ(kernels[1].y, -4);
  EXPECT_EQ(kernels[1].weight, 0.1);
}

TEST(PointsCsv, LastLineWithoutNewlineIsRead) {
  EXPECT_EQ(parsePointsCsv("1,2\n3,4", "pts.csv", shape()).size(), 2u);
}

TEST(PointsCsv, NoDataRowsIsAnError) {
  // An empty image from a points file is almost always the wrong file; say so.
  EXPECT_EQ(errorOf(""), "pts.csv: no points (no data rows)");
  EXPECT_EQ(errorOf("x,y\n"), "pts.csv: no points (a header line but no data rows)");
  EXPECT_EQ(errorOf("# nothing\n\n"), "pts.csv: no points (no data rows)");
}

TEST(PointsCsv, MalformedNumberNamesLineColumnAndText) {
  const std::string message = errorOf("x,y\n1,2\n3,abc\n");
  EXPECT_THAT(message, HasSubstr("pts.csv:3:"));
  EXPECT_THAT(message, HasSubstr("column 2"));
  EXPECT_THAT(message, HasSubstr("'abc'"));
  EXPECT_THAT(errorOf("1,2\n1.5.2,3\n"), HasSubstr("pts.csv:2:"));
  EXPECT_THAT(errorOf("1,2\n3,4,heavy\n"), HasSubstr("pts.csv:2:"));
  EXPECT_THAT(errorOf("1,2\n3,\n"), HasSubstr("pts.csv:2:"));
  EXPECT_THAT(errorOf("1,2\n3,4x\n"), HasSubstr("pts.csv:2:"));
}

TEST(PointsCsv, NonFiniteNumbersAreRefused) {
  EXPECT_THAT(errorOf("1,2\nnan,3\n"), HasSubstr("pts.csv:2:"));
  EXPECT_THAT(errorOf("1,2\n3,inf\n"), HasSubstr("pts.csv:2:"));
  EXPECT_THAT(errorOf("1,2\n3,4,1e999\n"), HasSubstr("pts.csv:2:"));
}

TEST(PointsCsv, WrongColumnCountNamesTheLine) {
  EXPECT_THAT(errorOf("1,2\n3\n"), HasSubstr("pts.csv:2:"));
  EXPECT_THAT(errorOf("1,2\n3,4,5,6,7,8,9\n"), HasSubstr("pts.csv:2: expected 2 to 6 columns"));
  const std::string with_header = errorOf("x,y,w\n1,2,3\n4,5\n");
  EXPECT_THAT(with_header, HasSubstr("pts.csv:3:"));
  EXPECT_THAT(with_header, HasSubstr("expected 3 columns"));
  EXPECT_THAT(errorOf("x,y\n1,2,3\n"), HasSubstr("pts.csv:2:"));
}

TEST(PointsCsv, LoadReadsAFileAndNamesItInErrors) {
  const auto path = std::filesystem::temp_directory_path() / "gaussmap_points_csv_test.csv";
  {
    std::ofstream out(path);
    out << "x,y\n1,2\n3,4\nfive,6\n";
  }
  try {
    loadPointsCsv(path.string(), shape());
    ADD_FAILURE() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr(path.string() + ":4:"));
  }
  {
    std::ofstream out(path);
    out << "x,y\n1,2\n3,4\n";
  }
  EXPECT_EQ(loadPointsCsv(path.string(), shape()).size(), 2u);
  std::filesystem::remove(path);
  EXPECT_THROW(loadPointsCsv(path.string(), shape()), InputError);
}

TEST(PointsCsv, CarriageReturnOnlyLineEndingsAreLines) {
  // Old Mac files end lines with a lone CR: once read as one long line, giving no kernels.
  const auto kernels = parsePointsCsv("x,y\r1,2\r3,4\r", "pts.csv", shape());
  ASSERT_EQ(kernels.size(), 2u);
  EXPECT_EQ(kernels[1].x, 3);
  EXPECT_EQ(kernels[1].y, 4);
  // Lines are counted the same with every ending.
  EXPECT_THAT(errorOf("x,y\r1,2\r\n3,oops\n"), HasSubstr("pts.csv:3:"));
  EXPECT_THAT(errorOf("1,2\r\r3,oops"), HasSubstr("pts.csv:3:"));
}

TEST(PointsCsv, Utf8ByteOrderMarkIsSkipped) {
  const auto with_header = parsePointsCsv("\xEF\xBB\xBFx,y\n1,2\n", "pts.csv", shape());
  ASSERT_EQ(with_header.size(), 1u);
  EXPECT_EQ(with_header[0].x, 1);
  // Without a header the first row is data, not a header made of "\xEF\xBB\xBF1".
  const auto data = parsePointsCsv(
      "\xEF\xBB\xBF"
      "5,6\n7,8\n",
      "pts.csv", shape());
  ASSERT_EQ(data.size(), 2u);
  EXPECT_EQ(data[0].x, 5);
}

TEST(PointsCsv, AFirstRowThatIsNeitherNamesNorNumbersIsAnErrorOnLineOne) {
  // Each of these was silently taken as a header (its first field does not parse), dropping a
  // row of data.
  for (const char* first :
       {"1e400,2", "0x1p3,2", "\"1\",\"2\"", "inf,2", "x,2", "1,y", "nan,1", "\"x\",\"y\""}) {
    SCOPED_TRACE(first);
    const std::string message = errorOf(std::string(first) + "\n3,4\n");
    EXPECT_THAT(message, HasSubstr("pts.csv:1: expected a finite number in column"));
    EXPECT_THAT(message, HasSubstr("a header line must name every column"));
  }
  EXPECT_EQ(errorOf("0x1p3,2\n"),
            "pts.csv:1: expected a finite number in column 1 (x), got '0x1p3' (a header line "
            "must name every column: letters, digits, _)");
}

TEST(PointsCsv, HeaderNamesMayHoldUnitsAndNonAsciiLetters) {
  PointKernelShape s = shape(1, 1, 0,
                             "gr\xC3\xB6\xC3\x9F"
                             "e");
  s.columns.x = "x (m)";
  s.columns.y = "y_2";
  const auto kernels = parsePointsCsv(
      "x (m), y_2, gr\xC3\xB6\xC3\x9F"
      "e\n1,2,3\n",
      "pts.csv", s);
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].x, 1);
  EXPECT_EQ(kernels[0].y, 2);
  EXPECT_EQ(kernels[0].weight, 3);
}

// --- Columns by name (issue 14) ---

TEST(PointsCsv, ColumnsAreFoundByNameInAnyOrder) {
  const auto kernels = parsePointsCsv("weight,y,x\n0.5,2,1\n", "pts.csv", shape());
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].x, 1);  // a "y,x" header does not swap the axes
  EXPECT_EQ(kernels[0].y, 2);
  EXPECT_EQ(kernels[0].weight, 0.5);
}

TEST(PointsCsv, HeaderNamesMatchWithoutRegardToCase) {
  const auto kernels = parsePointsCsv("X,Y,Weight\n1,2,3\n", "pts.csv", shape());
  EXPECT_EQ(kernels.at(0).x, 1);
  EXPECT_EQ(kernels.at(0).weight, 3);
}

TEST(PointsCsv, PerPointColumnsOverrideTheDefaults) {
  const std::string csv =
      "x,y,sigma,sigma_x,sigma_y,angle_deg\n"
      "1,2,5,6,7,30\n";
  const auto kernels = parsePointsCsv(csv, "pts.csv", shape(2, 3, 15));
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].sigma_x, 6);  // sigma_x and sigma_y win over sigma
  EXPECT_EQ(kernels[0].sigma_y, 7);
  EXPECT_EQ(kernels[0].angle_deg, 30);
  const auto round = parsePointsCsv("x,y,sigma\n1,2,5\n", "pts.csv", shape(2, 3, 15));
  EXPECT_EQ(round.at(0).sigma_x, 5);
  EXPECT_EQ(round.at(0).sigma_y, 5);
  EXPECT_EQ(round.at(0).angle_deg, 15);  // the default where the row gives none
  const auto one_axis = parsePointsCsv("x,y,sigma_x\n1,2,5\n", "pts.csv", shape(2, 3, 15));
  EXPECT_EQ(one_axis.at(0).sigma_x, 5);
  EXPECT_EQ(one_axis.at(0).sigma_y, 3);
}

TEST(PointsCsv, WithoutAHeaderColumnsGoByTheDocumentedPositions) {
  const auto kernels =
      parsePointsCsv("1,2\n1,2,3\n1,2,3,4\n1,2,3,4,5\n1,2,3,4,5,6\n", "pts.csv", shape(2, 3, 15));
  ASSERT_EQ(kernels.size(), 5u);
  EXPECT_EQ(kernels[1].weight, 3);
  EXPECT_EQ(kernels[1].sigma_x, 2);
  EXPECT_EQ(kernels[2].sigma_x, 4);  // a 4th column alone: the sigma of both axes
  EXPECT_EQ(kernels[2].sigma_y, 4);
  EXPECT_EQ(kernels[3].sigma_x, 4);
  EXPECT_EQ(kernels[3].sigma_y, 5);
  EXPECT_EQ(kernels[3].angle_deg, 15);
  EXPECT_EQ(kernels[4].angle_deg, 6);
}

TEST(PointsCsv, RenamedColumnsMapOtherNames) {
  PointKernelShape s = shape();
  s.columns.x = "lon";
  s.columns.y = "lat";
  s.columns.sigma = "radius";
  std::vector<std::string> unused;
  const auto kernels =
      parsePointsCsv("id,lat,lon,radius\n7,48.1,11.5,0.2\n", "pts.csv", s, &unused);
  ASSERT_EQ(kernels.size(), 1u);
  EXPECT_EQ(kernels[0].x, 11.5);
  EXPECT_EQ(kernels[0].y, 48.1);
  EXPECT_EQ(kernels[0].sigma_x, 0.2);
  EXPECT_EQ(unused, std::vector<std::string>{"id"});
}

TEST(PointsCsv, LongitudeAndLatitudeNamesAreXAndY) {
  // A GPS export's header, in either order and any case: lat is y, lon is x.
  for (const char* csv :
       {"lat,lon,weight\n52.5,13.4,2\n", "Longitude,Latitude,weight\n13.4,52.5,2\n",
        "id,lng,lat,weight\n1,13.4,52.5,2\n"}) {
    SCOPED_TRACE(csv);
    const auto kernels = parsePointsCsv(csv, "pts.csv", shape());
    ASSERT_EQ(kernels.size(), 1u);
    EXPECT_EQ(kernels[0].x, 13.4);
    EXPECT_EQ(kernels[0].y, 52.5);
    EXPECT_EQ(kernels[0].weight, 2);
  }
  // x and y win over the aliases (which are then other columns); two aliases are ambiguous.
  // A column a renamed field took is no alias: --x-column lat leaves "latitude" for y.
  PointKernelShape renamed = shape();
  renamed.columns.x = "lat";
  const auto swapped = parsePointsCsv("lat,latitude\n1,2\n", "pts.csv", renamed);
  EXPECT_EQ(swapped[0].x, 1);
  EXPECT_EQ(swapped[0].y, 2);
  EXPECT_EQ(errorOf("lat,foo\n1,2\n", renamed),
            "pts.csv:1: no column named 'y' in the header: name the columns x and y (or lon and "
            "lat), or map yours with --y-column NAME");
  const auto both = parsePointsCsv("lon,x,y\n1,2,3\n", "pts.csv", shape());
  EXPECT_EQ(both[0].x, 2);
  EXPECT_EQ(errorOf("lon,longitude,lat\n1,2,3\n"),
            "pts.csv:1: the header has two names for 'x': 'lon' and 'longitude' (choose one with "
            "--x-column NAME)");
}

TEST(PointsCsv, ColumnErrorsNameTheProblem) {
  EXPECT_EQ(errorOf("east,north\n1,2\n"),
            "pts.csv:1: no column named 'x' in the header: name the columns x and y (or lon and "
            "lat), or map yours with --x-column NAME");
  PointKernelShape s = shape();
  s.columns.sigma_x = "sx";
  EXPECT_EQ(errorOf("x,y\n1,2\n", s),
            "pts.csv:1: no column named 'sx' in the header (--sigma-x-column)");
  EXPECT_EQ(errorOf("1,2\n", s),
            "pts.csv:1: --sigma-x-column needs a header line naming the columns");
  EXPECT_THAT(errorOf("x,y,x\n1,2,3\n"), HasSubstr("the header names 'x' twice"));
  s = shape();
  s.columns.y = "x";
  EXPECT_THAT(errorOf("x,y\n1,2\n", s), HasSubstr("column 1 ('x') is given to two fields"));
  s = shape();
  s.columns.weight = "lat";  // taken by y's alias first
  EXPECT_THAT(errorOf("x,lat\n1,2\n", s), HasSubstr("column 2 ('lat') is given to two fields"));
  EXPECT_EQ(errorOf("x,y,sigma\n1,2,0\n"), "pts.csv:2: sigma must be > 0, got '0'");
  EXPECT_EQ(errorOf("1,2,1,-3\n"), "pts.csv:1: sigma_x must be > 0, got '-3'");
}

TEST(PointsCsv, APointWithoutAnySigmaIsAnError) {
  PointKernelShape none;
  EXPECT_EQ(parsePointsCsv("x,y,sigma\n1,2,3\n", "pts.csv", none).at(0).sigma_y, 3);
  try {
    parsePointsCsv("x,y,sigma\n1,2,3\n1,2\n", "pts.csv", none);
    ADD_FAILURE() << "a short row parsed";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pts.csv:3: expected 3 columns"));
  }
  try {
    parsePointsCsv("1,2\n", "pts.csv", none);
    ADD_FAILURE() << "a point without sigma parsed";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(),
                 "pts.csv:1: no sigma for this point: give --sigma, or a sigma (or sigma_x and "
                 "sigma_y) column");
  }
}

TEST(PointsCsv, FieldsInMessagesAreEscapedAndCut) {
  // An escape sequence in a file must not reach the terminal; control characters show as \xNN.
  EXPECT_EQ(errorOf("1,2\n3,\x1b[31mred\x07\n"),
            "pts.csv:2: expected a finite number in column 2 (y), got '\\x1B[31mred\\x07'");
  // A huge field is cut to about 60 bytes: the message stays a line, not the field.
  const std::string message = errorOf("1,2\n3," + std::string(1000000, '7') + "z\n");
  EXPECT_LT(message.size(), 200u);
  EXPECT_THAT(message, HasSubstr("'" + std::string(60, '7') +
                                 "' (cut; the field has 1000001 "
                                 "bytes)"));
}

TEST(PointsCsv, LoadingADirectoryIsAnInputError) {
  const auto dir = std::filesystem::temp_directory_path();
  try {
    loadPointsCsv(dir.string(), shape());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), dir.string() + ": is a directory, not a points file");
  }
}

}  // namespace
}  // namespace gaussmap
