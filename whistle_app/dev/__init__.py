"""Development data: the demo site (`demo`) and the benchmark datasets (`perfdata`). Not used by the
product at run time; `bench whistle-demo` and `bench whistle-generate` call them."""
