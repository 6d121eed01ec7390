// Two dropouts, checked against tests/reference/gen_dropout.py.
func.func @forward(%x: tensor<?x7xf32>) -> tensor<?x7xf32> {
  %y = needle.dropout %x, 0.3 : tensor<?x7xf32>
  %z = needle.dropout %y, 0.5 : tensor<?x7xf32>
  return %z : tensor<?x7xf32>
}
