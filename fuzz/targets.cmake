# The fuzz targets and the one library each reads: fuzz/CMakeLists.txt builds them for libFuzzer
# (clang), tests/CMakeLists.txt as replay programs over their seeds and regressions (any compiler).
# Each links only the library under its parser: clang 14 cannot instrument coroutines for
# coverage ("Cannot represent a difference across sections"), and the parsers have none.
set(MESHSIM_FUZZ_TARGETS
  scenario_loader_fuzz meshsim::sim_scenario
  json_source_fuzz meshsim::sim_text
  csv_fuzz meshsim::sim_text
  avro_schema_fuzz meshsim::sim_serde_avro
  avro_datum_fuzz meshsim::sim_serde_avro
  json_schema_fuzz meshsim::sim_serde_json_schema
  glue_wire_fuzz meshsim::sim_serde
  personalize_filter_fuzz meshsim::fakes_personalize
  partition_expression_fuzz meshsim::fakes_glue_catalog)
