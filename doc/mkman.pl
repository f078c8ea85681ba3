#!/usr/bin/perl
# Writes a man page from its source doc/NAME.in, for Makefile.am:
#
#     MAN_VERSION=0.1.0 MAN_sysconfdir=/etc ... perl -CS doc/mkman.pl <in >page
#
# - @WORD@ becomes the value of the environment variable MAN_WORD, escaped
#   for roff (a path's '-' must not turn into a hyphen) and with a break
#   point after each '/' (a long prefix must not overflow the line); an
#   unknown @WORD@ is an error, so a typo cannot ship.
# - A line holding only @KEYS@ becomes the file that MAN_KEYS names: the key
#   reference `parkstat --man-keys` printed.
# - Every non-ASCII character becomes groff's \[uXXXX], so the page renders
#   without preconv and without warnings; Chinese has no spaces to break
#   lines at, so a zero-width break point \: follows each CJK character,
#   except after an opening bracket or before closing punctuation.
use strict;
use warnings;

my $cjk = qr/[\x{2E80}-\x{9FFF}\x{F900}-\x{FAFF}\x{FF00}-\x{FFEF}]/;
my $opening = qr/[\x{FF08}\x{300C}\x{300E}\x{3010}]/;    # （「『【
my $closing = qr/[\x{FF0C}\x{3002}\x{FF1B}\x{FF1A}\x{3001}\x{FF09}\x{300D}\x{300F}\x{3011}\x{FF01}\x{FF1F}]/;
                                                          # ，。；：、）」』】！？

sub value {
    my ($word) = @_;
    my $v = $ENV{"MAN_$word"};
    die "mkman.pl: line $.: \@$word\@ has no value (set MAN_$word)\n" unless defined $v;
    $v =~ s/\\/\\e/g;
    $v =~ s/-/\\-/g;
    $v =~ s/\//\/\\:/g;
    return $v;
}

sub put {
    my ($line) = @_;
    $line =~ s/((?!$opening)$cjk)(?=$cjk|[A-Za-z0-9{])(?!$closing)/$1\\:/g;
    $line =~ s/([^\x00-\x7F])/sprintf('\[u%04X]', ord $1)/ge;
    print $line;
}

while (my $line = <STDIN>) {
    if ($line =~ /^\@KEYS\@$/) {
        my $file = $ENV{MAN_KEYS} or die "mkman.pl: line $.: \@KEYS\@ needs MAN_KEYS\n";
        open my $keys, '<:utf8', $file or die "mkman.pl: $file: $!\n";
        put($_) while <$keys>;
        close $keys;
        next;
    }
    $line =~ s/\@([A-Za-z_]+)\@/value($1)/ge;
    put($line);
}
