/*
 * The model variable nearest to a misspelt name (model.h), for the
 * "did you mean" of every place that names a variable.
 */
#include <stdlib.h>
#include <string.h>

#include "plansim/model.h"
#include "plansim/names.h"
#include "plansim/suggest.h"

int ps_model_nearest(const ps_model *model, const char *name,
                     const ps_var **near)
{
    *near = NULL;
    const char **keys = malloc((model->nvars + 1) * sizeof *keys);
    char *key = ps_name_key(name, strlen(name));
    if (!keys || !key) {
        free(keys);
        free(key);
        return -1;
    }
    for (size_t i = 0; i < model->nvars; i++)
        keys[i] = model->vars[i].key;
    const char *found = ps_nearest(key, keys, model->nvars);
    for (size_t i = 0; found && i < model->nvars; i++)
        if (keys[i] == found) {
            *near = &model->vars[i];
            break;
        }
    free(keys);
    free(key);
    return 0;
}
