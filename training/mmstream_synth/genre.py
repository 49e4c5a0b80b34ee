def plan_genre(*a): raise NotImplementedError
def render_genre(*a): raise NotImplementedError
