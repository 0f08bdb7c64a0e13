from koembed.cli import main

main()
