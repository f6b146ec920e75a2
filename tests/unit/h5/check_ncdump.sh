#!/bin/sh
# ncdump -h reads the ensemble file as netCDF-4: named dimensions, Chinese
# names and long names intact, the summary group.
#   check_ncdump.sh NCDUMP FILE      (skips, exit 77, without ncdump)
ncdump=$1
file=$2
if [ ! -x "$ncdump" ]; then
    echo "skipped: ncdump not found (Debian package netcdf-bin)"
    exit 77
fi
out=$("$ncdump" -h "$file") || { echo "ncdump -h $file failed"; exit 1; }
fail=0
for want in \
    'run = 10 ;' \
    'time = 6 ;' \
    'param = 2 ;' \
    'int64 run(run) ;' \
    'run:standard_name = "realization" ;' \
    'double time(time) ;' \
    'time:units = "year" ;' \
    'time:vensim_units = "year" ;' \
    'string GDP:vensim_units = "亿元" ;' \
    'Growth_rate:units = "1/year" ;' \
    'a_b_ratio:units = "1" ;' \
    'a_b_ratio:vensim_units = "Dmnl" ;' \
    'string param(param) ;' \
    'double param_value(run, param) ;' \
    'byte run_status(run) ;' \
    'run_status:flag_meanings = "pending ok failed" ;' \
    'double GDP(run, time) ;' \
    'string GDP:long_name = "地区生产总值" ;' \
    'GDP:_FillValue = NaN ;' \
    'double 人口(run, time) ;' \
    'string 人口:long_name = "常住人口" ;' \
    ':units_convention = "udunits-2: ' \
    'string :title = "钱江区 十五五 情景" ;' \
    'group: summary {' \
    'target = 3 ;' \
    'quantile = 7 ;' \
    'double GDP_quantiles(quantile, time) ;' \
    'double target_probability_by_time(target, time) ;'
do
    if ! printf '%s\n' "$out" | grep -qF -- "$want"; then
        echo "missing from ncdump -h: $want"
        fail=1
    fi
done
# No CF claim, and no units attribute udunits cannot read (亿元).
for unwanted in ':Conventions' 'GDP:units =' '人口:units ='; do
    if printf '%s\n' "$out" | grep -qF -- "$unwanted"; then
        echo "in ncdump -h but should not be: $unwanted"
        fail=1
    fi
done
[ $fail = 0 ] || printf '%s\n' "$out"
exit $fail
