// `compare --format json`: the table as data (docs/schema/compare.schema.json).
#include <nlohmann/json.hpp>

#include "cli/compare.h"
#include "cli/json_report.h"

namespace interlock {

void print_json(std::ostream& out, const std::vector<CompareRow>& rows) {
  nlohmann::ordered_json specs = nlohmann::ordered_json::array();
  for (const CompareRow& row : rows) {
    nlohmann::ordered_json spec;
    spec["spec"] = row.spec;
    spec["system"] = row.system;
    if (!row.time_unit.empty()) spec["time_unit"] = row.time_unit;  // of every "value"
    if (!row.error.empty()) spec["error"] = row.error;
    if (row.unknown) spec["unknown"] = true;
    nlohmann::ordered_json properties = nlohmann::ordered_json::array();
    for (std::size_t k = 0; k < row.results.size(); ++k) {
      const PropertyResult& r = row.results[k];
      const JudgedCell& cell = row.cells[k];
      nlohmann::ordered_json p = result_json(*row.model, r, row.spec, false);
      if (has_footnote(r, cell)) p["trace_command"] = trace_command(row.spec, r, row.answer_args);  // the exact name: JSON escapes what it must
      properties.push_back(std::move(p));
    }
    spec["properties"] = std::move(properties);
    specs.push_back(std::move(spec));
  }
  nlohmann::ordered_json doc;
  doc["specs"] = std::move(specs);
  out << doc.dump(2, ' ', true, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace interlock
