from hubgen.cli import main

raise SystemExit(main())
