/*
 * Constructs the .mdl reader refuses: Vensim features the engine cannot
 * run yet are PS_ERR_UNSUPPORTED at their position, never misread.
 */
#include <string.h>

#include "mdl_impl.h"

/* Refuses a :KEYWORD: that is not an operator: the Vensim constructs the
   engine does not run yet get PS_ERR_UNSUPPORTED, anything else is a
   syntax error. */
ps_status mdl_refuse_keyword(mdl_parser *p)
{
    static const struct {
        const char *word;
        const char *what;
    } known[] = {
        {"MACRO", "macros defined inside macros"},
        {"IMPLIES", "reality checks outside their equation"},
        {"CROSSING", "reality checks outside their equation"},
        {"IS", "string constants"},
    };
    const mdl_token *t = &p->tok;
    int n = (int)(t->end - t->start);
    const char *s = p->lx.text + t->start;
    static const char *const placed[] = {"EXCEPT", "INTERPOLATE", "RAW",
                                         "HOLD BACKWARD", "LOOK FORWARD"};
    if (mdl_tok_is_keyword(&p->lx, t, "END OF MACRO"))
        return mdl_fail(p, PS_ERR_SYNTAX, t->loc,
                        ":END OF MACRO: without a :MACRO: before it");
    for (size_t i = 0; i < sizeof placed / sizeof placed[0]; i++)
        if (mdl_tok_is_keyword(&p->lx, t, placed[i]))
            return mdl_fail(p, PS_ERR_SYNTAX, t->loc,
                            "%.*s belongs right after the left-hand side of "
                            "an equation",
                            n, s);
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (mdl_tok_is_keyword(&p->lx, t, known[i].word))
            return mdl_fail(p, PS_ERR_UNSUPPORTED, t->loc,
                            "%s (%.*s) are not supported yet", known[i].what,
                            n, s);
    return mdl_fail(p, PS_ERR_SYNTAX, t->loc, "unknown keyword %.*s", n, s);
}

const char *mdl_unsupported_function(const char *key)
{
    static const struct {
        const char *key;
        int prefix; /* match names that start with key */
        const char *why;
    } refused[] = {
        {"get_data_", 1, "data functions are not supported yet"},
        {"get_123_", 1, "external data functions are not supported yet"},
        {"get_vdf_", 1, "external data functions are not supported yet"},
        {"a_function_of", 0,
         "the equation is unfinished (A FUNCTION OF is Vensim's "
         "placeholder for a missing equation)"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        size_t n = strlen(refused[i].key);
        if (refused[i].prefix ? strncmp(key, refused[i].key, n) == 0
                              : strcmp(key, refused[i].key) == 0)
            return refused[i].why;
    }
    return NULL;
}
