"""The demo city 江川市 (Jiangchuan): an evaluation scheme and a year of metric events.

- `build_city`: the deterministic scheme document (`jixiao.scheme/v1`) and the
  generator of the committed file `data/jiangchuan-2026.yaml`;
- `events`: a deterministic year of metric events (the MetricEvent shape) for it;
- `catalog` and `names`: the fixed data the two draw from.

The city is fictional; its sizes follow the seed speeches (9 districts and
counties, 99 municipal departments, 835 leaders). See docs/demo-city.md.
"""
