from kairan.cli import main

raise SystemExit(main())
