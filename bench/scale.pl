#!/usr/bin/perl
# Scale workload for bench/scale.sh: N connections opened and closed, T distinct templates, one huge result.
# Usage: scale.pl PORT CONNECTIONS TEMPLATES RESULT_MB
use strict;
use warnings;
use DBI;
my ($port, $conns, $templates, $mb) = @ARGV;
my $dsn = "DBI:mysql:host=127.0.0.1;port=$port";
for my $i (1 .. $conns) {
    my $dbh = DBI->connect($dsn, "root", "", {RaiseError => 1, PrintError => 0});
    $dbh->do("SELECT 1");
    $dbh->disconnect;
}
my $dbh = DBI->connect("$dsn;database=mysql", "root", "", {RaiseError => 1, PrintError => 0, mysql_use_result => 1});
for my $i (1 .. $templates) {
    # a distinct template each: the alias is an identifier, kept by the normaliser
    $dbh->do("SELECT $i AS c$i");
}
if ($mb > 0) {
    # MariaDB's SEQUENCE engine: MB rows of 1 MiB each, streamed (mysql_use_result), never held by the client
    my $sth = $dbh->prepare("SELECT REPEAT('x', 1048576) AS blob_col FROM seq_1_to_$mb", {mysql_use_result => 1});
    $sth->execute;
    my $rows = 0;
    $rows++ while $sth->fetchrow_arrayref;
    print "huge result rows: $rows\n";
}
$dbh->disconnect;
