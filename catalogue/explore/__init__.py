"""The catalogue read as a whole: the principle profile chart, comparing cases side by side, and the insights
(where the catalogue is strong on each principle and where it has gaps)."""
