from scriptalign._cli import main

main()
