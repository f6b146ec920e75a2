#!/bin/sh
# ncdump reads the posterior file as netCDF-4: its dimensions, the string
# coordinates with Chinese names intact, the covariance's second axis,
# the global attributes of the calibration; and reads every variable's
# data without error.
#   check_ncdump_posterior.sh NCDUMP FILE      (skips, exit 77, without ncdump)
ncdump=$1
file=$2
if [ ! -x "$ncdump" ]; then
    echo "skipped: ncdump not found (Debian package netcdf-bin)"
    exit 77
fi
out=$("$ncdump" -h "$file") || { echo "ncdump -h $file failed"; exit 1; }
"$ncdump" "$file" >/dev/null || { echo "ncdump $file failed"; exit 1; }
fail=0
for want in \
    'parameter = 2 ;' \
    'quantile = 3 ;' \
    'parameter_b = 2 ;' \
    'particle = 5 ;' \
    'stage = 3 ;' \
    'series = 2 ;' \
    'observation = 3 ;' \
    'target = 1 ;' \
    'string parameter(parameter) ;' \
    'double prior_quantile(parameter, quantile) ;' \
    'double covariance(parameter, parameter_b) ;' \
    'int64 particle(particle) ;' \
    'double particle_value(particle, parameter) ;' \
    'double prior_value(particle, parameter) ;' \
    'weight:_FillValue = NaN ;' \
    'double tempering_exponent(stage) ;' \
    'int64 moves(stage) ;' \
    'string series(series) ;' \
    'int64 observation_series(observation) ;' \
    'double predictive_hi90(observation) ;' \
    'byte target_compare(target) ;' \
    'double posterior_probability(target) ;' \
    'string target_binding:long_name = "binding (约束性) or expected (预期性) target" ;' \
    ':plansim_file = "posterior" ;' \
    ':method = "smc" ;' \
    ':complete = 1LL ;' \
    ':n_particles = 5LL ;' \
    'string :title = "钱江区 校准" ;'
do
    if ! printf '%s\n' "$out" | grep -qF -- "$want"; then
        echo "missing from ncdump -h: $want"
        fail=1
    fi
done
[ $fail = 0 ] || printf '%s\n' "$out"
exit $fail
